import Contracts
import Foundation
import ServiceKit

/// Follows Production's SPK events and Approval's request events into PPIC's tables.
struct EventHandlers {
    let settings: PPICSettings
    let sweep: DailySweep

    func register(in handlers: inout HandlerRegistry) {
        for type in ProductionEvents.spkState { follow(type, in: &handlers) }
        for type in [ApprovalSubmitted.self, ApprovalApproved.self, ApprovalRejected.self, ApprovalCancelled.self]
            as [any ApprovalEvent.Type] {
            follow(type, in: &handlers)
        }
        handlers.on(MaterialDebtOpened.self) { event, context in
            try await WarehouseViewStore(connection: context.connection, logger: context.logger).opened(event.debt)
        }
        handlers.on(MaterialDebtSettled.self) { event, context in
            try await WarehouseViewStore(connection: context.connection, logger: context.logger).settled(event)
        }
        handlers.on(NCREscalated.self) { event, context in
            try await QualityViewStore(connection: context.connection, logger: context.logger).keep(event.ncr)
        }
        handlers.on(NCRDecided.self) { event, context in
            try await QualityViewStore(connection: context.connection, logger: context.logger).keep(event.ncr)
        }
        handlers.on(CartonConfirmed.self) { event, context in
            try await WarehouseViewStore(connection: context.connection, logger: context.logger)
                .received(event, on: LocalDate.of(event.occurredAt, in: settings.timeZone))
        }
    }

    private func follow<E: SPKStateEvent>(_ type: E.Type, in handlers: inout HandlerRegistry) {
        handlers.on(type) { event, context in
            try await apply(event.spk, entriesOf: event, context)
            EventLag.applied(occurredAt: context.header.occurredAt)
        }
    }

    private func follow<E: ApprovalEvent>(_ type: E.Type, in handlers: inout HandlerRegistry) {
        handlers.on(type) { event, context in
            try await ApprovalsViewStore(connection: context.connection, logger: context.logger).apply(event.request)
            EventLag.applied(occurredAt: context.header.occurredAt)
        }
    }

    /// Keeps the SPK's newest state and its entries, then judges it again — and the next stage of its
    /// order, whose WIP is this stage's output.
    private func apply(_ spk: SPK, entriesOf event: some SPKStateEvent, _ context: MessageContext) async throws {
        let store = SPKViewStore(connection: context.connection, logger: context.logger)
        let judged = [spk.id] + (try await store.nextStage(after: spk).map { [$0] } ?? [])
        try await store.lock(judged)
        try await store.upsert([spk], calendar: settings.rules.calendar)
        if let recorded = event as? DailyInputRecorded {
            try await store.record([RecordedEntry(id: recorded.entryId, spkId: spk.id, date: recorded.entry.date,
                                                  qty: recorded.entry.qty, rejectQty: recorded.entry.rejectQty)])
            try await QualityViewStore(connection: context.connection, logger: context.logger).record(recorded)
        } else if let voided = event as? DailyInputVoided {
            try await QualityViewStore(connection: context.connection, logger: context.logger).void(voided.entryId)
            if let reversal = voided.reversal {
                try await store.record([reversal])
            } else {
                try await store.recordReversal(of: voided.entryId, id: voided.reversalId)
            }
        }
        try await HealthAssessor(rules: settings.rules, connection: context.connection, logger: context.logger)
            .assess(judged, today: sweep.today)
    }
}

/// The four approval events carry the whole request; PPIC keeps its status.
protocol ApprovalEvent: Event {
    var request: ApprovalRequest { get }
}

extension ApprovalSubmitted: ApprovalEvent {}
extension ApprovalApproved: ApprovalEvent {}
extension ApprovalRejected: ApprovalEvent {}
extension ApprovalCancelled: ApprovalEvent {}
