import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// An NCR decided REWORK (quality.ncr.decided.v1) becoming a rework SPK, on in-memory repositories.
@Suite struct ReworkHandlerTests {
    let house = ProductionHarness()

    func ncr(_ decision: NCRDecision, stage: Stage? = .sewing, article: String? = "bear", qty: Int = 12) -> NCR {
        var ncr = NCR(
            id: UUID(), code: "NCR-20260310-0001", status: .decided, title: "Loose seams", articleCode: article, orderCode: nil,
            inspectionCode: nil, stage: .packing, qty: qty, notes: nil, decision: decision, decidedBy: "head_sewing",
            decidedAt: house.now, openedBy: "qc", openedAt: house.now, escalateAt: house.now)
        ncr.reworkStage = stage
        return ncr
    }

    @Test func reworkOpensAnSPKAtTheStageQualityNamedDueInThreeDays() async throws {
        try await house.rework.ncrDecided(NCRDecided(ncr: ncr(.rework)), house.context(.system("quality")))
        let created = try #require(house.effects.events(SPKCreated.self).only?.spk)
        #expect(created.code == "SPK-20260310-0001" && created.articleCode == "BEAR" && created.stage == .sewing && created.department == .sewing)
        #expect(created.targetQty == 12 && created.status == .notStarted && created.createdBy == "head_sewing")
        #expect(created.startDate.description == "2026-03-10" && created.dueDate.description == "2026-03-13")
        #expect(created.notes == "REWORK for NCR-20260310-0001: Loose seams")
        #expect(try await house.spk(created.code) == created)
        #expect(house.effects.auditRows.only?.action == "create-rework")
    }

    @Test func otherDecisionsAndIncompleteNCRsOpenNothing() async throws {
        for decided in [ncr(.scrap), ncr(.useAsIs), ncr(.rework, stage: nil), ncr(.rework, article: nil), ncr(.rework, qty: 0)] {
            try await house.rework.ncrDecided(NCRDecided(ncr: decided), house.context(.system("quality")))
        }
        #expect(house.effects.messages.isEmpty)
        #expect(try await house.spks.list(ListSPKs(), house.context(Actors.planner)).total == 0)
    }
}
