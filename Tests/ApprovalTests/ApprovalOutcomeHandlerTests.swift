import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Approval

/// What became of approved requests, as Production and the warehouse report it in events.
@Suite struct ApprovalOutcomeHandlerTests {
    let f = ApprovalFixture()
    let later = ApprovalFixture.now.addingTimeInterval(3600)

    /// A material debt of 10 M approved at both levels.
    func approvedDebt() async throws -> ApprovalRequest {
        f.material("FAB-RED", unit: .m)
        let request = try await f.materialDebt(f.spk(), qty: 10)
        try await f.decide(request, by: f.productionManager)
        return try await f.decide(request, by: f.warehouseManager)
    }

    func settled(_ request: ApprovalRequest, open: Decimal) -> MaterialDebtSettled {
        MaterialDebtSettled(
            debtId: UUID(), approvalId: request.id, approvalCode: request.code, materialCode: "FAB-RED", settledQty: 5,
            openQty: open, fullySettled: open == 0, movementId: UUID(), occurredAt: later)
    }

    @Test func anAppliedOrRefusedChangeIsRecordedOnTheRequest() async throws {
        let request = try await f.quantityChange(f.spk(), to: 450)
        try await f.handlers.recordOutcome(approval: request.id, outcome: "APPLIED: target 500→450", f.context(nil))
        #expect(try await f.stored(request).outcome == "APPLIED: target 500→450")
        try await f.handlers.recordOutcome(approval: UUID(), outcome: "NOT_APPLIED: gone", f.context(nil))  // unknown: nothing to do
    }

    @Test func settlementsMoveADebtToPartlyThenFullySettled() async throws {
        let request = try await approvedDebt()
        try await f.handlers.recordSettlement(settled(request, open: 5), f.context(nil))
        let partly = try await f.stored(request)
        #expect(partly.status == .partiallySettled && partly.outcome == "PARTIALLY_SETTLED: 5 still owed" && partly.updatedAt == later)
        try await f.handlers.recordSettlement(settled(request, open: 0), f.context(nil))
        #expect(try await f.stored(request).status == .settled)
        try await f.handlers.recordSettlement(settled(request, open: 3), f.context(nil))  // late partial
        #expect(try await f.stored(request).status == .settled)
    }

    @Test func aSettlementOfAPendingRequestChangesNothing() async throws {
        f.material("FAB-RED", unit: .m)
        let request = try await f.materialDebt(f.spk(), qty: 10)
        try await f.handlers.recordSettlement(settled(request, open: 0), f.context(nil))
        #expect(try await f.stored(request) == request)
    }

    @Test func anIssuedDebtSaysSoUnlessSettledFirst() async throws {
        let request = try await approvedDebt()
        let debt = WarehouseDebt(
            id: UUID(), approvalId: request.id, approvalCode: request.code, materialCode: "FAB-RED", unit: .m,
            location: "RM-01", spkCode: request.spkCode, qty: 10, settledQty: 0, status: .open,
            issueMovementId: UUID(), openedAt: later, settledAt: nil)
        try await f.handlers.recordIssue(MaterialDebtOpened(debt: debt), f.context(nil))
        #expect(try await f.stored(request).outcome == "ISSUED: 10 M FAB-RED from RM-01")

        let settledFirst = try await approvedDebt()
        try await f.handlers.recordSettlement(settled(settledFirst, open: 0), f.context(nil))
        var late = debt
        late.approvalId = settledFirst.id
        try await f.handlers.recordIssue(MaterialDebtOpened(debt: late), f.context(nil))
        #expect(try await f.stored(settledFirst).outcome == "SETTLED by the warehouse")
    }

    @Test func aFailedIssueIsRecordedAndAudited() async throws {
        let request = try await approvedDebt()
        let effects = RecordedEffects()
        try await f.handlers.recordIssueFailure(
            MaterialDebtIssueFailed(
                approvalId: request.id, approvalCode: request.code, materialCode: "FAB-RED",
                reason: "no RAW_MATERIAL location", occurredAt: later),
            f.context(nil, effects))
        let failed = try await f.stored(request)
        #expect(failed.status == .issueFailed && failed.outcome == "ISSUE_FAILED: no RAW_MATERIAL location")
        #expect(effects.auditRows.map(\.action) == ["issue failed"])
    }

    @Test func aFailedIssueOfARequestNotApprovedChangesNothing() async throws {
        f.material("FAB-RED", unit: .m)
        let request = try await f.materialDebt(f.spk(), qty: 10)
        let effects = RecordedEffects()
        try await f.handlers.recordIssueFailure(
            MaterialDebtIssueFailed(
                approvalId: request.id, approvalCode: request.code, materialCode: "FAB-RED",
                reason: "x", occurredAt: later), f.context(nil, effects))
        #expect(try await f.stored(request).status == .pending)
        #expect(effects.auditRows.isEmpty)
    }
}
