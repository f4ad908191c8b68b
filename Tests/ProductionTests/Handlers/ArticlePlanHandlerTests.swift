import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// Production's copy of BOMFinance's articles and ACTIVE BOMs, kept from its events, on in-memory repositories.
@Suite struct ArticlePlanHandlerTests {
    let house = ProductionHarness()

    static func bom(_ article: String, version: Int, id: UUID = UUID(), activatedAt: Date = Date(timeIntervalSince1970: 1_000)) -> BOM {
        BOM(
            id: id, code: "BOM-\(article)-V\(version)", articleCode: article, version: version, status: .active, lines: [], notes: nil,
            createdBy: "finance", createdAt: activatedAt, activatedAt: activatedAt, supersededAt: nil, updatedAt: activatedAt)
    }

    var bomFinance: MessageContext { house.context(.system("bomfinance")) }

    func plan(_ article: String = "BEAR") async throws -> ArticlePlanCopy? {
        try await house.repositories.articles.plan(article, in: house.context(nil))
    }

    @Test func theNewestArticleVersionsRouteWinsWhateverOrderEventsArriveIn() async throws {
        try await house.articles.articleCreated(
            ArticleCreated(article: ProductionHarness.article("BEAR", route: [.cutting, .sewing], version: 1)),
            bomFinance)
        try await house.articles.articleChanged(
            ArticleChanged(article: ProductionHarness.article("BEAR", route: [.sewing], version: 3)),
            bomFinance)
        try await house.articles.articleChanged(
            ArticleChanged(article: ProductionHarness.article("BEAR", route: [.packing], version: 2)),
            bomFinance)
        #expect(try await plan() == ArticlePlanCopy(route: [.sewing], bom: nil))
        #expect(try await plan("DOG") == nil)
    }

    @Test func theLatestActivationPinsNewOrders() async throws {
        let v2 = Self.bom("BEAR", version: 2, activatedAt: Date(timeIntervalSince1970: 2_000))
        let v1 = Self.bom("BEAR", version: 1, activatedAt: Date(timeIntervalSince1970: 1_000))
        try await house.articles.bomActivated(BOMActivated(bom: v2, supersededId: v1.id), bomFinance)
        try await house.articles.bomActivated(BOMActivated(bom: v1, supersededId: nil), bomFinance)  // late, older
        #expect(try await plan()?.bom == BOMReference(id: v2.id, code: v2.code, version: 2))
        // The article's route arriving afterwards keeps the pin.
        try await house.articles.articleCreated(ArticleCreated(article: ProductionHarness.article("BEAR", route: [.sewing])), bomFinance)
        #expect(try await plan() == ArticlePlanCopy(route: [.sewing], bom: BOMReference(id: v2.id, code: v2.code, version: 2)))
    }

    @Test func archivingTheActiveBOMUnpinsAndAnOlderActivationCannotBringItBack() async throws {
        var bom = Self.bom("BEAR", version: 1, activatedAt: Date(timeIntervalSince1970: 1_000))
        try await house.articles.bomActivated(BOMActivated(bom: bom, supersededId: nil), bomFinance)
        bom.status = .archived
        bom.supersededAt = Date(timeIntervalSince1970: 3_000)
        try await house.articles.bomArchived(BOMArchived(bom: bom, wasActive: true), bomFinance)
        #expect(try await plan()?.bom == nil)
        try await house.articles.bomActivated(BOMActivated(bom: Self.bom("BEAR", version: 1, id: bom.id), supersededId: nil), bomFinance)
        #expect(try await plan()?.bom == nil)
        let v2 = Self.bom("BEAR", version: 2, activatedAt: Date(timeIntervalSince1970: 4_000))
        try await house.articles.bomActivated(BOMActivated(bom: v2, supersededId: nil), bomFinance)
        #expect(try await plan()?.bom?.version == 2)
    }

    @Test func archivingAnotherVersionOrAnInactiveOneKeepsThePin() async throws {
        let active = Self.bom("BEAR", version: 2)
        try await house.articles.bomActivated(BOMActivated(bom: active, supersededId: nil), bomFinance)
        try await house.articles.bomArchived(BOMArchived(bom: Self.bom("BEAR", version: 1), wasActive: true), bomFinance)
        try await house.articles.bomArchived(BOMArchived(bom: active, wasActive: false), bomFinance)
        #expect(try await plan()?.bom?.id == active.id)
    }
}
