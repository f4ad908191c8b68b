import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// Manufacturing orders, their SPKs, and the cartons the warehouse confirms for them, on in-memory repositories.
@Suite struct OrderHandlerTests {
    let house = ProductionHarness()

    func create(
        _ article: String = "bear", qty: Int = 200, stages: [Stage]? = nil, start: String = "2026-03-10",
        due: String = "2026-03-19", by actor: Actor = Actors.planner
    ) async throws -> ManufacturingOrder {
        try await house.orders.create(
            CreateOrder(
                articleCode: article, qty: qty, startDate: LocalDate(start)!, dueDate: LocalDate(due)!,
                stages: stages, notes: "for the fair"), house.context(actor))
    }

    func confirm(_ qty: Int, of order: ManufacturingOrder, carton: UUID = UUID()) async throws {
        let event = CartonConfirmed(
            cartonId: carton, sscc: "00012345", articleCode: order.articleCode, qty: qty, registeredQty: qty,
            spkCode: order.spks?.last?.code ?? "", orderCode: order.code, discrepancy: nil, occurredAt: house.now)
        try await house.orders.cartonConfirmed(event, house.context(.system("warehouse")))
    }

    @Test func anOrderMakesOneSPKPerStageOfTheArticlesRouteSharingTheWindow() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing, .packing])
        let order = try await create()
        #expect(order.code == "MO-20260310-0001" && order.articleCode == "BEAR" && order.stages == [.cutting, .sewing, .packing])
        #expect(order.status == .planned && order.createdBy == "ppic_manager" && order.createdAt == house.now)
        let spks = try #require(order.spks)
        #expect(spks.map(\.code) == ["SPK-20260310-0001", "SPK-20260310-0002", "SPK-20260310-0003"])
        #expect(spks.map(\.department) == [.cutting, .sewing, .packing] && spks.map(\.sequence) == [1, 2, 3])
        #expect(spks.map(\.startDate.description) == ["2026-03-10", "2026-03-13", "2026-03-16"])
        #expect(spks.map(\.dueDate.description) == ["2026-03-12", "2026-03-15", "2026-03-19"])
        #expect(spks.allSatisfy { $0.targetQty == 200 && $0.orderId == order.id && $0.orderCode == order.code })
        #expect(spks.map(\.availableWip) == [nil, 0, 0])
        #expect(try await house.spk(spks[1].code) == spks[1])
    }

    @Test func stagesNamedByThePlannerWinOverTheArticlesRoute() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing, .packing])
        let order = try await create(stages: [.cutting, .finishing])
        #expect(order.stages == [.cutting, .finishing] && order.spks?.map(\.stage) == [.cutting, .finishing])
    }

    @Test func creatingPublishesEverySPKAndTheOrderAndAuditsThem() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing])
        let order = try await create()
        #expect(house.effects.events(SPKCreated.self).map(\.spk.code) == order.spks?.map(\.code))
        #expect(house.effects.events(OrderCreated.self).map(\.order) == [order])
        #expect(house.effects.auditRows.map(\.entity) == ["spk", "spk", "order"])
        #expect(house.effects.auditRows.first?.action == "create for \(order.code)")
    }

    @Test func anOrderIsPinnedToTheArticlesActiveBOMOrSaysItIsNot() async throws {
        try await house.knowArticle("BEAR", route: [.sewing])
        let unpinned = try await create()
        #expect(unpinned.bomId == nil && unpinned.bomNote == "BEAR had no ACTIVE BOM when the order was made; the order is not pinned.")
        let bom = ArticlePlanHandlerTests.bom("BEAR", version: 3)
        try await house.articles.bomActivated(BOMActivated(bom: bom, supersededId: nil), house.context(.system("bomfinance")))
        let pinned = try await create()
        #expect(pinned.bomId == bom.id && pinned.bomCode == bom.code && pinned.bomVersion == 3 && pinned.bomNote == nil)
        #expect(try await house.orders.get(GetOrder(order: pinned.code), house.context(Actors.planner)).bomVersion == 3)
    }

    @Test func onlyPlannersCreateAndAKnownArticleIsNeeded() async throws {
        #expect(await refusal { try await create(by: Actors.sewingSupervisor) }?.code == .forbidden)
        house.owners.refuse(GetArticlePlan.self, with: .notFound("Article GHOST"))
        let unknown = await refusal { try await create("ghost") }
        #expect(unknown?.code == .ruleViolated && unknown?.details.first?.field == "article_code")
        #expect(await refusal { try await create(qty: 0) }?.code == .validationFailed)
        #expect(house.effects.messages.isEmpty)
    }

    @Test func anOrdersStatusAndProgressFollowItsStages() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing])
        let order = try await create(qty: 100)
        let (cutting, sewing) = (order.spks![0], order.spks![1])
        let get = { try await house.orders.get(GetOrder(order: order.id.uuidString), house.context(Actors.planner)) }
        #expect(try await get().status == .planned)
        try await house.produce(80, on: cutting)
        let started = try await get()
        #expect(started.status == .inProgress && started.finishedQty == 0)
        try await house.produce(100, on: sewing)
        let done = try await get()
        #expect(done.status == .completed && done.finishedQty == 100 && done.progress == 100)
        #expect(done.spks?.map(\.producedQty) == [80, 100])
    }

    @Test func everyStageCancelledCancelsTheOrder() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing])
        let order = try await create()
        for spk in order.spks! {
            _ = try await house.lifecycle.changeStatus(
                ChangeSPKStatus(spk: spk.code, action: .cancel, reason: "customer withdrew"),
                house.context(Actors.manager))
        }
        #expect(try await house.orders.get(GetOrder(order: order.code), house.context(Actors.planner)).status == .cancelled)
    }

    @Test func getSays404ForAnOrderThatDoesNotExist() async throws {
        #expect(
            await refusal { try await house.orders.get(GetOrder(order: "MO-20990101-0001"), house.context(Actors.planner)) }?.code
                == .notFound)
    }

    @Test func listFiltersByStatusAndArticleNewestFirstAndPages() async throws {
        try await house.knowArticle("BEAR", route: [.sewing])
        try await house.knowArticle("DOG", route: [.sewing])
        let first = try await create()
        house.advance(seconds: 60)
        let second = try await create("dog")
        house.advance(seconds: 60)
        let third = try await create()
        try await house.produce(5, on: third.spks![0])
        let context = house.context(Actors.planner)
        let all = try await house.orders.list(ListOrders(), context)
        #expect(all.items.map(\.code) == [third.code, second.code, first.code] && all.total == 3)
        #expect(all.items.allSatisfy { $0.spks == nil })
        #expect(try await house.orders.list(ListOrders(articleCode: " bear "), context).items.map(\.code) == [third.code, first.code])
        #expect(try await house.orders.list(ListOrders(status: .inProgress), context).items.map(\.code) == [third.code])
        let page = try await house.orders.list(ListOrders(page: PageRequest(page: 2, perPage: 2)), context)
        #expect(page.items.map(\.code) == [first.code] && page.total == 3)
        #expect(await refusal { try await house.orders.list(ListOrders(page: PageRequest(perPage: 501)), context) }?.code == .validationFailed)
    }

    @Test func confirmedCartonsCountOncePerCarton() async throws {
        try await house.knowArticle("BEAR", route: [.sewing])
        let order = try await create()
        let carton = UUID()
        try await confirm(24, of: order, carton: carton)
        try await confirm(24, of: order, carton: carton)  // the event again
        try await confirm(12, of: order)
        #expect(try await house.orders.get(GetOrder(order: order.code), house.context(Actors.planner)).finishedInWarehouse == 36)
    }
}
