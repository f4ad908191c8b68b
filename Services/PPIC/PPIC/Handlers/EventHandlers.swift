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
            as [any ApprovalEvent.Type]
        {
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
            try await apply([event], context)
            EventLag.applied(occurredAt: context.header.occurredAt)
        }
        // Several at once (a batch): one lock, one write per table, whatever the number of events.
        handlers.onBatch(type, group: "spk-state") { events, context in
            try await apply(events.compactMap { $0.payload as? any SPKStateEvent }, context)
            if let last = events.last { EventLag.applied(occurredAt: last.header.occurredAt) }
        }
    }

    private func follow<E: ApprovalEvent>(_ type: E.Type, in handlers: inout HandlerRegistry) {
        handlers.on(type) { event, context in
            try await ApprovalsViewStore(connection: context.connection, logger: context.logger).apply(event.request)
            EventLag.applied(occurredAt: context.header.occurredAt)
        }
    }

    /// Keeps each SPK's newest state and the entries, then judges the SPKs again — and the next stage
    /// of each one's order, whose WIP is that stage's output. Events in delivery order.
    private func apply(_ events: [any SPKStateEvent], _ context: MessageContext) async throws {
        guard !events.isEmpty else { return }
        let store = SPKViewStore(connection: context.connection, logger: context.logger)
        var newest: [UUID: SPK] = [:]
        var spkIds: [UUID] = []
        var entries: [RecordedEntry] = []
        var legacyReversals: [(entry: UUID, reversal: UUID)] = []
        let quality = QualityViewStore(connection: context.connection, logger: context.logger)
        for event in events {
            let spk = event.spk
            if let known = newest[spk.id] {
                if spk.version > known.version { newest[spk.id] = spk }
            } else {
                newest[spk.id] = spk
                spkIds.append(spk.id)
            }
            if let recorded = event as? DailyInputRecorded {
                entries.append(
                    RecordedEntry(
                        id: recorded.entryId, spkId: spk.id, date: recorded.entry.date,
                        qty: recorded.entry.qty, rejectQty: recorded.entry.rejectQty))
                try await quality.record(recorded)  // its defect lines, if it has any (in event order)
            } else if let voided = event as? DailyInputVoided {
                try await quality.void(voided.entryId)
                if let reversal = voided.reversal {
                    entries.append(reversal)
                } else {
                    legacyReversals.append((voided.entryId, voided.reversalId))
                }
            }
        }
        var judged = spkIds
        for id in spkIds {
            if let next = try await store.nextStage(after: newest[id]!), !judged.contains(next) { judged.append(next) }
        }
        let known = Set(try await store.lock(judged))
        // Entries first, so the verdicts below count them.
        try await store.record(entries)
        for reversal in legacyReversals { try await store.recordReversal(of: reversal.entry, id: reversal.reversal) }
        // An SPK PPIC does not have yet is inserted; one it has gets its newer state with its verdict, one write.
        let unknown = spkIds.filter { !known.contains($0) }.compactMap { newest[$0] }
        try await store.upsert(unknown, calendar: settings.rules.calendar)
        try await HealthAssessor(rules: settings.rules, connection: context.connection, logger: context.logger)
            .assess(judged, today: sweep.today, newStates: spkIds.filter { known.contains($0) }.compactMap { newest[$0] })
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
