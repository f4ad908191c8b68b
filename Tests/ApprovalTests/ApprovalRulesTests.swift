import Contracts
import Foundation
import Testing

@testable import Approval

@Suite struct ApprovalChainTests {
    let chain = [ChainLevel(role: "PRODUCTION_MANAGER"), ChainLevel(role: "MANAGER", condition: "change_percent > 10")]

    @Test func theManagerLevelAppliesOnlyAboveTenPercent() {
        #expect(ApprovalChain.levels(chain, facts: ["change_percent": 10]).map(\.role) == ["PRODUCTION_MANAGER"])
        #expect(ApprovalChain.levels(chain, facts: ["change_percent": 10.2]).map(\.role) == ["PRODUCTION_MANAGER", "MANAGER"])
        #expect(ApprovalChain.levels(chain, facts: ["change_percent": 25]).map(\.level) == [1, 2])
    }

    @Test func changeIsMeasuredAgainstTheOriginalQuantity() {
        #expect(ApprovalChain.changePercent(QuantityChange(originalQty: 500, oldQty: 480, newQty: 400)) == 16)
        #expect(ApprovalChain.changePercent(QuantityChange(originalQty: 500, oldQty: 500, newQty: 450)) == 10)
    }

    @Test func anUnreadableConditionKeepsTheLevel() {
        #expect(ApprovalChain.holds("change_percent ~ 3", facts: ["change_percent": 1]))
        #expect(ApprovalChain.holds("unknown_fact > 3", facts: [:]))
        #expect(!ApprovalChain.holds("change_percent >= 3", facts: ["change_percent": 2]))
    }
}

@Suite struct ApprovalRulesTests {
    let requester = Actor(userId: "u1", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
    let productionManager = Actor(userId: "u2", username: "prod_manager", roles: ["PRODUCTION_MANAGER"])
    let manager = Actor(userId: "u3", username: "manager", roles: ["MANAGER"])

    func request(levels: [String]) -> ApprovalRequest {
        ApprovalRequest(
            id: UUID(), code: "MOD-20260301-0001", kind: .quantityChange, status: .pending, spkId: UUID(),
            spkCode: "SPK-20260301-0001", requestedBy: requester.username, requestedById: requester.userId,
            requestedAt: Date(), reason: "r", currentLevel: 1,
            levels: levels.enumerated().map { ApprovalLevel(level: $0.offset + 1, role: $0.element) },
            change: "500→400", quantity: QuantityChange(originalQty: 500, oldQty: 500, newQty: 400), materialDebt: nil,
            outcome: nil, updatedAt: Date())
    }

    @Test func levelsAreDecidedInOrderByTheirRole() throws {
        let start = request(levels: ["PRODUCTION_MANAGER", "MANAGER"])
        #expect(throws: ErrorReply.self) { try ApprovalRules.decide(start, approved: true, notes: nil, actor: manager, now: Date()) }
        let first = try ApprovalRules.decide(start, approved: true, notes: nil, actor: productionManager, now: Date())
        #expect(first.status == .pending && first.currentLevel == 2 && first.levels[0].decidedBy == "prod_manager")
        let second = try ApprovalRules.decide(first, approved: true, notes: "ok", actor: manager, now: Date())
        #expect(second.status == .approved)
        do {
            _ = try ApprovalRules.decide(second, approved: true, notes: nil, actor: manager, now: Date())
            Issue.record("expected 409")
        } catch { #expect(error.code == .conflict) }
    }

    @Test func nobodyApprovesTheirOwnRequestAndRejectionsNeedNotes() {
        var own = request(levels: ["PRODUCTION_MANAGER"])
        own.requestedById = productionManager.userId
        do {
            _ = try ApprovalRules.decide(own, approved: true, notes: nil, actor: productionManager, now: Date())
            Issue.record("expected 403")
        } catch { #expect(error.code == .forbidden) }
        do {
            _ = try ApprovalRules.decide(
                request(levels: ["PRODUCTION_MANAGER"]), approved: false, notes: "  ", actor: productionManager,
                now: Date())
            Issue.record("expected 400")
        } catch { #expect(error.code == .validationFailed && error.details.first?.field == "notes") }
    }

    @Test func onlyTheRequesterCancelsAndOnlyWhilePending() throws {
        let pending = request(levels: ["PRODUCTION_MANAGER"])
        #expect(throws: ErrorReply.self) { try ApprovalRules.cancel(pending, actor: manager, now: Date()) }
        let cancelled = try ApprovalRules.cancel(pending, actor: requester, now: Date())
        #expect(cancelled.status == .cancelled)
        #expect(throws: ErrorReply.self) { try ApprovalRules.cancel(cancelled, actor: requester, now: Date()) }
    }

    @Test func aChangeMustDifferAndNotGoBelowWhatIsProduced() {
        let spk = SPKFacts(id: UUID(), code: "SPK-1", originalQty: 500, targetQty: 500, producedQty: 300, status: "IN_PROGRESS")
        for (qty, field) in [(500, "new_qty"), (299, "new_qty"), (0, "new_qty")] {
            do {
                _ = try ApprovalRules.validateQuantityChange(
                    RequestQuantityChange(spk: "SPK-1", newQty: qty, reason: "r"), spk: spk,
                    actor: requester)
                Issue.record("expected \(qty) to be refused")
            } catch { #expect(error.details.first?.field == field) }
        }
        #expect(throws: Never.self) {
            _ = try ApprovalRules.validateQuantityChange(
                RequestQuantityChange(spk: "SPK-1", newQty: 300, reason: "r"), spk: spk,
                actor: self.requester)
        }
    }

    @Test func aDebtIsForAnOpenSPKInAnAmountItsMaterialsUnitAllows() {
        let running = SPKFacts(id: UUID(), code: "SPK-1", originalQty: 500, targetQty: 500, producedQty: 0, status: "IN_PROGRESS")
        let cancelled = SPKFacts(id: UUID(), code: "SPK-2", originalQty: 500, targetQty: 500, producedQty: 0, status: "CANCELLED")
        let halfAnEye = RequestMaterialDebt(spkId: "SPK-1", materialCode: "EYE-12MM", qty: 2.5, reason: "late")
        do {
            try ApprovalRules.checkMaterialDebt(halfAnEye, spk: running, unit: .pcs)
            Issue.record("2.5 PCS is not an amount of eyes")
        } catch {
            #expect(error.code == .ruleViolated && error.details.map(\.field) == ["qty"])
        }
        do {
            try ApprovalRules.checkMaterialDebt(
                RequestMaterialDebt(spkId: "SPK-2", materialCode: "FAB", qty: 3, reason: "late"),
                spk: cancelled, unit: .m)
            Issue.record("a cancelled SPK takes no debt")
        } catch { #expect(error.code == .conflict) }
        #expect(throws: Never.self) {
            try ApprovalRules.checkMaterialDebt(
                RequestMaterialDebt(spkId: "SPK-1", materialCode: "FAB", qty: 12.5, reason: "late"),
                spk: running, unit: .m)
            try ApprovalRules.checkMaterialDebt(
                RequestMaterialDebt(spkId: "SPK-1", materialCode: "EYE-12MM", qty: 2, reason: "late"),
                spk: running, unit: .pcs)
        }
    }
}
