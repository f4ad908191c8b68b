import Contracts
import Foundation
import ServiceKit

/// Re-costs articles when something under them changed: a material's cost, a BOM activated, an
/// article's labour. Only the articles that use the change — found up the where-used graph of ACTIVE
/// BOMs — are rolled up, in one pass, and each whose standard cost moved is announced.
struct Recosting {
    let settings: BOMFinanceSettings

    /// Returns how many articles' costs moved.
    @discardableResult
    func recost(materials: [String] = [], articles: [String] = [], cause: String, _ context: MessageContext) async throws -> Int {
        let costs = CostStore(connection: context.connection, logger: context.logger)
        let boms = BOMStore(connection: context.connection, logger: context.logger)
        let items = ItemStore(connection: context.connection, logger: context.logger)
        try await costs.lockRecosting()
        let affected = try await boms.whereUsed(materials: materials, articles: articles).union(articles)
        guard !affected.isEmpty else { return 0 }
        let lines = try await boms.activeLines(Array(affected))
        let below = Set(lines.values.flatMap { $0.compactMap(\.articleCode) }).subtracting(affected)
        let known = try await costs.standardCosts(Array(below)).mapValues(\.0)
        let materialCodes = Set(lines.values.flatMap { $0.compactMap(\.materialCode) })
        let prices = try await items.costs(of: Array(materialCodes), on: settings.today)
        let labour = try await items.articles(Array(affected)).mapValues(\.labourMinutes)
        let rollup = CostRollup(
            graph: BOMGraph(lines: lines, units: [:]), materialCosts: prices, labour: labour,
            rates: settings.rates, known: known)
        let rolled = rollup.roll(affected)
        let stored = try await costs.standardCosts(Array(affected))
        var moved: [(article: String, cost: RolledCost, total: Decimal)] = []
        for article in affected.sorted() {
            guard let cost = rolled[article] else { continue }
            let total = cost.total(settings.rates)
            if let previous = stored[article], previous.1 == total, previous.0 == cost { continue }
            moved.append((article, cost, total))
        }
        let now = settings.now()
        try await costs.keepStandardCosts(moved, at: now)
        for item in moved {
            try await context.publish(
                ArticleCostChanged(
                    articleCode: item.article, previousCost: stored[item.article]?.1, cost: item.total,
                    materialCost: DecimalMath.money(item.cost.material), labourCost: DecimalMath.money(item.cost.labour),
                    cause: cause, costedAt: now))
        }
        context.logger.info("re-costed \(affected.count) article(s) for \(cause); \(moved.count) moved")
        return moved.count
    }
}
