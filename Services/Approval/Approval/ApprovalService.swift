import Contracts
import Foundation
import Messaging
import ServiceKit

/// Approval: quantity changes and material debt, decided level by level. Owns schema `approval`.
public enum ApprovalService {
    public static func definition(
        environment: ServiceEnvironment, timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!,
        repositories: ApprovalRepositories = .postgres
    ) -> ServiceDefinition {
        let approvals = ApprovalHandlers(timeZone: timeZone, repositories: repositories)
        var handlers = HandlerRegistry()
        handlers.handle(RequestQuantityChange.self, approvals.requestQuantityChange)
        handlers.handle(RequestMaterialDebt.self, approvals.requestMaterialDebt)
        handlers.handle(DecideApproval.self, approvals.decide)
        handlers.handle(CancelApproval.self, approvals.cancel)
        handlers.handle(ListPendingApprovals.self, approvals.pending)
        handlers.handle(GetApproval.self, approvals.get)
        handlers.handle(ListMaterialDebts.self, approvals.materialDebts)
        // What became of approved changes (Approval keeps no copy of SPKs: it asks Production).
        handlers.on(SPKTargetChanged.self) { event, context in
            try await approvals.recordOutcome(
                approval: event.approvalId,
                outcome: "APPLIED: target \(event.oldTarget)→\(event.newTarget)", context)
        }
        handlers.on(SPKTargetChangeRejected.self) { event, context in
            try await approvals.recordOutcome(approval: event.approvalId, outcome: "NOT_APPLIED: \(event.reason)", context)
        }
        handlers.on(MaterialDebtSettled.self, approvals.recordSettlement)
        handlers.on(MaterialDebtOpened.self, approvals.recordIssue)
        handlers.on(MaterialDebtIssueFailed.self, approvals.recordIssueFailure)
        // The materials a debt may name, as BOMFinance owns them.
        let materials = repositories.materials
        handlers.on(MaterialCreated.self) { event, context in try await materials.keep(event.material, in: context) }
        handlers.on(MaterialChanged.self) { event, context in try await materials.keep(event.material, in: context) }
        handlers.on(MaterialCostChanged.self) { event, context in try await materials.keep(event.material, in: context) }
        return ServiceDefinition(
            name: ServiceName.approval.rawValue, environment: environment, migrations: ApprovalMigrations.all, handlers: handlers)
    }
}
