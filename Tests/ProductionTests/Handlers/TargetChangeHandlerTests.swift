import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// An approved quantity change (approval.request.approved.v1) landing on its SPK, on in-memory repositories.
@Suite struct TargetChangeHandlerTests {
    let house = ProductionHarness()

    /// A quantity change of `spk` to `newQty`, approved by the production manager at the last level.
    static func approval(of spk: SPK, newQty: Int, kind: ApprovalKind = .quantityChange, id: UUID = UUID()) -> ApprovalRequest {
        ApprovalRequest(
            id: id, code: "MOD-20260310-0001", kind: kind, status: .approved, spkId: spk.id, spkCode: spk.code,
            requestedBy: "spv_sewing", requestedById: "u-spv-sew", requestedAt: Date(timeIntervalSince1970: 0),
            reason: "short fabric", currentLevel: 2,
            levels: [
                ApprovalLevel(level: 1, role: "PRODUCTION_SPV", status: .approved, decidedBy: "spv_sewing"),
                ApprovalLevel(level: 2, role: "PRODUCTION_MANAGER", status: .approved, decidedBy: "production_manager"),
            ],
            change: "\(spk.targetQty)→\(newQty)",
            quantity: kind == .quantityChange ? QuantityChange(originalQty: spk.originalQty, oldQty: spk.targetQty, newQty: newQty) : nil,
            materialDebt: nil, outcome: nil, updatedAt: Date(timeIntervalSince1970: 0))
    }

    func approve(_ request: ApprovalRequest) async throws {
        try await house.targets.approved(ApprovalApproved(request: request), house.context(.system("approval")))
    }

    @Test func theTargetMovesAndTheChangeIsRecordedPublishedAndAudited() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(40, on: spk)
        house.advance(seconds: 600)
        let request = Self.approval(of: spk, newQty: 150)
        try await approve(request)
        let after = try await house.spk(spk.code)
        #expect(after.targetQty == 150 && after.originalQty == 100 && after.status == .inProgress && after.progress == 26.7)
        #expect(after.updatedAt == house.now && after.version == spk.version + 2)
        let event = try #require(house.effects.events(SPKTargetChanged.self).only)
        #expect(event.oldTarget == 100 && event.newTarget == 150 && event.approvalCode == request.code && event.spk.targetQty == 150)
        #expect(house.effects.events(SPKCompleted.self).isEmpty)
        let changes = try await house.repositories.spks.targetChanges(of: spk.id, in: house.context(nil))
        #expect(
            changes == [
                TargetChange(
                    approvalId: request.id, approvalCode: request.code, oldQty: 100, newQty: 150,
                    approvedBy: "production_manager", changedAt: house.now)
            ])
        #expect(house.effects.auditRows.only?.action == "target-change \(request.code)")
    }

    @Test func loweringTheTargetToWhatWasMadeCompletesTheSPK() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(90, on: spk)
        try await approve(Self.approval(of: spk, newQty: 90))
        #expect(try await house.spk(spk.code).status == .completed)
        #expect(house.effects.events(SPKCompleted.self).map(\.spk.targetQty) == [90])
    }

    @Test func theSameApprovalAppliesOnce() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        let request = Self.approval(of: spk, newQty: 120)
        try await approve(request)
        try await approve(request)
        #expect(house.effects.events(SPKTargetChanged.self).count == 1)
        #expect(try await house.spk(spk.code).version == 2)
    }

    @Test func aTargetBelowWhatWasMadeIsRejectedAndNothingChanges() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(70, on: spk)
        let request = Self.approval(of: spk, newQty: 60)
        try await approve(request)
        #expect(try await house.spk(spk.code).targetQty == 100)
        let rejected = try #require(house.effects.events(SPKTargetChangeRejected.self).only)
        #expect(rejected.spkId == spk.id && rejected.approvalId == request.id && rejected.reason.contains("70 already produced"))
        #expect(house.effects.events(SPKTargetChanged.self).isEmpty && house.effects.auditRows.isEmpty)
    }

    @Test func anSPKThatDoesNotExistIsRejected() async throws {
        try await house.knowArticle()
        let ghost = try await house.makeSPK()
        var request = Self.approval(of: ghost, newQty: 10)
        request.spkId = UUID()
        try await approve(request)
        #expect(house.effects.events(SPKTargetChangeRejected.self).map(\.reason) == ["the SPK does not exist"])
    }

    @Test func materialDebtApprovalsAreNotProductionsConcern() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        try await approve(Self.approval(of: spk, newQty: 10, kind: .materialDebt))
        #expect(house.effects.messages.isEmpty && house.effects.auditRows.isEmpty)
        #expect(try await house.spk(spk.code).targetQty == 100)
    }
}
