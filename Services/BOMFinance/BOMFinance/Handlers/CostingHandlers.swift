import Contracts
import Foundation
import ServiceKit

/// Costing of articles (as on a date), requirements and variance of orders, and the events from
/// Production and Warehouse they are built from.
struct CostingHandlers {
    let settings: BOMFinanceSettings

    func article(_ query: GetArticleCosting, _ context: MessageContext) async throws -> ArticleCosting {
        _ = try context.require(BOMFinancePermissions.readMoney, to: "Reading costs", servicesPass: true)
        let items = ItemStore(connection: context.connection, logger: context.logger)
        let article = try await items.requireArticle(query.articleCode)
        let day = query.at ?? settings.today
        let bom = try await BOMStore(connection: context.connection, logger: context.logger).inForce(article.code, at: settings.endOfDay(day))
        return try await breakdown(article.code, lines: bom?.lines, bom: bom.map(Self.reference), on: day, context)
    }

    func requirements(_ query: GetOrderRequirements, _ context: MessageContext) async throws -> OrderRequirements {
        let order = try await order(query.orderCode, context)
        guard let (bom, graph) = try await pinned(order, context) else {
            return OrderRequirements(
                orderCode: order.code, articleCode: order.articleCode, qty: order.qty, bomId: nil, bomCode: nil,
                bomVersion: nil, lines: [],
                note: order.note ?? "\(order.code) is not pinned to a BOM version: \(order.articleCode) had no ACTIVE BOM when the order was made.")
        }
        return OrderRequirements(
            orderCode: order.code, articleCode: order.articleCode, qty: order.qty, bomId: bom.id, bomCode: bom.code,
            bomVersion: bom.version, lines: BOMGraph.requirements(try await explode(order.articleCode, graph, context), qty: order.qty),
            note: nil)
    }

    func order(_ query: GetOrderCosting, _ context: MessageContext) async throws -> OrderCosting {
        _ = try context.require(BOMFinancePermissions.readMoney, to: "Reading costs", servicesPass: true)
        let order = try await order(query.orderCode, context)
        let costs = CostStore(connection: context.connection, logger: context.logger)
        let today = settings.today
        let pin = try await pinned(order, context)
        let lines = pin?.0.lines
        let standard = try await breakdown(order.articleCode, lines: lines, bom: pin.map { Self.reference($0.0) }, on: today, context)
        var requirements: [MaterialRequirement] = []
        if let pin { requirements = BOMGraph.requirements(try await explode(order.articleCode, pin.1, context), qty: order.qty) }
        let prices = Dictionary(uniqueKeysWithValues: standard.materials.compactMap { item in item.unitCost.map { (item.materialCode, $0) } })
        // Rejects are valued at the standard cost in force on the day they were rejected.
        var byDay: [LocalDate: ArticleCosting] = [today: standard]
        var work: [Stage: OrderCostRules.StageWork] = [:]
        for row in try await costs.work(of: order.code) {
            var done = work[row.stage] ?? OrderCostRules.StageWork(good: 0, rejected: 0, rejectValue: 0)
            done.good += row.good
            done.rejected += row.rejected
            if row.rejected != 0 {
                if byDay[row.day] == nil {
                    byDay[row.day] = try await breakdown(order.articleCode, lines: lines, bom: nil, on: row.day, context)
                }
                let costing = byDay[row.day]!
                let unit = OrderCostRules.rejectUnitValue(
                    materialPerUnit: costing.materialCost, labourPerUnit: Self.labourPerStage(costing), route: order.route, stage: row.stage)
                done.rejectValue += unit * Decimal(row.rejected)
            }
            work[row.stage] = done
        }
        let issued = try await costs.issued(to: order.code, fallback: prices)
        let note = pin == nil ? (order.note ?? "Not pinned to a BOM version: \(order.articleCode) had no ACTIVE BOM when the order was made.") : nil
        return OrderCostRules.variance(
            orderCode: order.code, articleCode: order.articleCode, qty: order.qty,
            bom: pin.map { Self.reference($0.0) }, note: note, requirements: requirements,
            materialCosts: prices, labourPerUnit: Self.labourPerStage(standard), issued: issued, work: work)
    }

    // MARK: Events

    func orderCreated(_ event: OrderCreated, _ context: MessageContext) async throws {
        try await keep(event.order, context)
    }

    func inputRecorded(_ event: DailyInputRecorded, _ context: MessageContext) async throws {
        guard let order = event.spk.orderCode else { return }
        try await CostStore(connection: context.connection, logger: context.logger).recordWork(
            entry: event.entryId, order: order, stage: event.spk.stage, day: event.entry.date, good: event.entry.qty,
            rejected: event.entry.rejectQty)
    }

    func inputVoided(_ event: DailyInputVoided, _ context: MessageContext) async throws {
        guard let order = event.spk.orderCode, let reversal = event.reversal else { return }
        try await CostStore(connection: context.connection, logger: context.logger).recordWork(
            entry: event.reversalId, order: order, stage: event.spk.stage, day: reversal.date, good: reversal.qty,
            rejected: reversal.rejectQty)
    }

    func materialIssued(_ event: MaterialIssued, _ context: MessageContext) async throws {
        guard let order = event.orderCode else { return }
        try await CostStore(connection: context.connection, logger: context.logger).recordIssue(event, order: order.uppercased())
    }

    func costChanged(_ event: MaterialCostChanged, _ context: MessageContext) async throws {
        try await Recosting(settings: settings).recost(materials: [event.material.code], cause: "material:\(event.material.code)", context)
    }

    // MARK: Helpers

    /// The order as BOMFinance knows it; one whose event has not arrived yet is asked of Production and kept.
    private func order(_ code: String, _ context: MessageContext) async throws -> OrderCopy {
        let costs = CostStore(connection: context.connection, logger: context.logger)
        if let known = try await costs.order(code) { return known }
        let order = try await context.askAsService(GetOrder(order: code))
        try await keep(order, context)
        guard let kept = try await costs.order(order.code) else { throw ErrorReply.notFound("Manufacturing order \(code)") }
        return kept
    }

    private func keep(_ order: ManufacturingOrder, _ context: MessageContext) async throws {
        try await CostStore(connection: context.connection, logger: context.logger).keepOrder(
            OrderCopy(
                code: order.code, articleCode: order.articleCode, qty: order.qty, route: order.stages, bomId: order.bomId,
                note: order.bomNote),
            id: order.id, createdAt: order.createdAt)
    }

    /// The version the order is pinned to and the graph below it (sub-assemblies as in force now).
    private func pinned(_ order: OrderCopy, _ context: MessageContext) async throws -> (BOM, [String: [BOMLine]])? {
        guard let id = order.bomId else { return nil }
        let store = BOMStore(connection: context.connection, logger: context.logger)
        guard let bom = try await store.find(id.uuidString) else { return nil }
        return (bom, try await store.graph(below: order.articleCode, rootLines: bom.lines, at: settings.now()))
    }

    private func explode(_ article: String, _ lines: [String: [BOMLine]], _ context: MessageContext) async throws -> [ExplodedMaterial] {
        let codes = Array(Set(lines.values.flatMap { $0.compactMap(\.materialCode) }))
        let units = try await ItemStore(connection: context.connection, logger: context.logger).units(of: codes)
        do {
            return try BOMGraph(lines: lines, units: units).explode(article)
        } catch {
            throw BOMHandlers.refusal(error)
        }
    }

    /// The costing of `article` on `day` with `lines` as its own BOM (nil: no BOM, labour only).
    private func breakdown(_ article: String, lines: [BOMLine]?, bom: BOMReference?, on day: LocalDate, _ context: MessageContext)
        async throws -> ArticleCosting
    {
        let items = ItemStore(connection: context.connection, logger: context.logger)
        var graph: [String: [BOMLine]] = [:]
        if let lines {
            graph = try await BOMStore(connection: context.connection, logger: context.logger)
                .graph(below: article, rootLines: lines, at: settings.endOfDay(day))
        }
        let materials = Array(Set(graph.values.flatMap { $0.compactMap(\.materialCode) }))
        let articles = try await items.articles(Array(Set(graph.keys).union([article])))
        let rollup = CostRollup(
            graph: BOMGraph(lines: graph, units: try await items.units(of: materials)),
            materialCosts: try await items.costs(of: materials, on: day),
            labour: articles.mapValues(\.labourMinutes), rates: settings.rates)
        return rollup.breakdown(article, at: day, bom: bom)
    }

    static func labourPerStage(_ costing: ArticleCosting) -> [Stage: Decimal] {
        Dictionary(uniqueKeysWithValues: costing.stages.map { ($0.stage, $0.cost) })
    }

    static func reference(_ bom: BOM) -> BOMReference { BOMReference(id: bom.id, code: bom.code, version: bom.version) }
}
