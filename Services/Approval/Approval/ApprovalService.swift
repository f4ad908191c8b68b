import Contracts
import Foundation
import Messaging
import ServiceKit

/// Approval: quantity changes and material debt, decided level by level. Owns schema `approval`.
public enum ApprovalService {
    public static func definition(timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!,
                                  now: @escaping @Sendable () -> Date = { Date() }) -> ServiceDefinition {
        let approvals = ApprovalHandlers(timeZone: timeZone, now: now)
        var handlers = HandlerRegistry()
        handlers.handle(RequestQuantityChange.self, approvals.requestQuantityChange)
        handlers.handle(RequestMaterialDebt.self, approvals.requestMaterialDebt)
        handlers.handle(DecideApproval.self, approvals.decide)
        handlers.handle(CancelApproval.self, approvals.cancel)
        handlers.handle(ListPendingApprovals.self, approvals.pending)
        handlers.handle(GetApproval.self, approvals.get)
        handlers.handle(ListMaterialDebts.self, approvals.materialDebts)
        // What Approval knows of SPKs, and what became of approved changes.
        for type in ProductionEvents.spkState { follow(type, in: &handlers, approvals: approvals) }
        handlers.on(SPKTargetChangeRejected.self) { event, context in
            try await approvals.recordOutcome(approval: event.approvalId, outcome: "NOT_APPLIED: \(event.reason)", context)
        }
        handlers.on(MaterialDebtSettled.self, approvals.recordSettlement)
        return ServiceDefinition(name: ServiceName.approval.rawValue, migrations: ApprovalMigrations.all, handlers: handlers)
    }
}

/// Keeps Approval's copy of the SPK; a target change also settles the outcome of its request.
private func follow<E: SPKStateEvent>(_ type: E.Type, in handlers: inout HandlerRegistry, approvals: ApprovalHandlers) {
    handlers.on(type) { event, context in
        try await ApprovalStore(connection: context.connection, logger: context.logger).keep(event.spk)
        if let change = event as? SPKTargetChanged {
            try await approvals.recordOutcome(approval: change.approvalId,
                                              outcome: "APPLIED: target \(change.oldTarget)→\(change.newTarget)", context)
        }
    }
}
