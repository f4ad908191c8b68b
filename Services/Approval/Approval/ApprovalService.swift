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
        let keep: @Sendable (SPK, MessageContext) async throws -> Void = { spk, context in
            try await ApprovalStore(connection: context.connection, logger: context.logger).keep(spk)
        }
        handlers.on(SPKCreated.self) { try await keep($0.spk, $1) }
        handlers.on(DailyInputRecorded.self) { try await keep($0.spk, $1) }
        handlers.on(SPKCompleted.self) { try await keep($0.spk, $1) }
        handlers.on(SPKStatusChanged.self) { try await keep($0.spk, $1) }
        handlers.on(DailyInputVoided.self) { try await keep($0.spk, $1) }
        handlers.on(SPKTargetChanged.self) { event, context in
            try await keep(event.spk, context)
            try await approvals.recordOutcome(approval: event.approvalId,
                                              outcome: "APPLIED: target \(event.oldTarget)→\(event.newTarget)", context)
        }
        handlers.on(SPKTargetChangeRejected.self) { event, context in
            try await approvals.recordOutcome(approval: event.approvalId, outcome: "NOT_APPLIED: \(event.reason)", context)
        }
        return ServiceDefinition(name: ServiceName.approval.rawValue, migrations: ApprovalMigrations.all, handlers: handlers)
    }
}
