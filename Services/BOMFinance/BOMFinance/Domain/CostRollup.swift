import Contracts
import Foundation

/// What labour costs per minute at each stage, and the overhead added on material + labour.
public struct CostRates: Sendable, Hashable {
    public var perMinute: [Stage: Decimal]
    public var overheadPercent: Decimal

    public init(perMinute: [Stage: Decimal], overheadPercent: Decimal) {
        self.perMinute = perMinute
        self.overheadPercent = overheadPercent
    }

    public func rate(_ stage: Stage) -> Decimal { perMinute[stage] ?? 0 }
}

/// An article's cost per unit before overhead: its materials (every level) and its labour
/// (its own and its sub-assemblies').
public struct RolledCost: Sendable, Hashable {
    public var material: Decimal
    public var labour: Decimal
    public init(material: Decimal, labour: Decimal) {
        self.material = material
        self.labour = labour
    }

    /// Material + labour + overhead, as money.
    public func total(_ rates: CostRates) -> Decimal {
        DecimalMath.money((material + labour) * (1 + rates.overheadPercent / 100))
    }
}

/// Standard cost roll-up over the BOM graph: Σ material qty × (1 + scrap) × standard cost, sub-assemblies
/// at their own rolled cost, plus labour minutes × the stage's rate. Pure: costs and structure are given.
public struct CostRollup: Sendable {
    public var graph: BOMGraph
    /// Material code → standard cost in force (nil or missing: no cost, counted as 0).
    public var materialCosts: [String: Decimal]
    /// Article code → labour minutes per stage.
    public var labour: [String: [StageMinutes]]
    public var rates: CostRates
    /// Rolled costs of sub-assemblies that are not being re-costed (their lines are not in `graph`).
    public var known: [String: RolledCost]

    public init(
        graph: BOMGraph, materialCosts: [String: Decimal], labour: [String: [StageMinutes]], rates: CostRates,
        known: [String: RolledCost] = [:]
    ) {
        self.graph = graph
        self.materialCosts = materialCosts
        self.labour = labour
        self.rates = rates
        self.known = known
    }

    /// Labour of one unit of `article` itself (not its sub-assemblies), per stage in route order.
    public func ownLabour(_ article: String) -> [ArticleCosting.StageCost] {
        (labour[article] ?? []).sorted { Stage.allCases.firstIndex(of: $0.stage)! < Stage.allCases.firstIndex(of: $1.stage)! }
            .map {
                ArticleCosting.StageCost(
                    stage: $0.stage, minutes: $0.minutes, ratePerMinute: rates.rate($0.stage),
                    cost: $0.minutes * rates.rate($0.stage))
            }
    }

    /// Rolled costs of `articles` and everything below them; cycles were refused before anything was activated.
    public func roll(_ articles: some Sequence<String>) -> [String: RolledCost] {
        var memo: [String: RolledCost] = [:]
        var visiting: Set<String> = []
        func cost(_ code: String) -> RolledCost {
            if let done = memo[code] { return done }
            if graph.lines[code] == nil, let fixed = known[code] { return fixed }
            guard visiting.insert(code).inserted else { return RolledCost(material: 0, labour: 0) }  // defensive: no cycle survives
            var material: Decimal = 0
            var labourCost = ownLabour(code).reduce(Decimal(0)) { $0 + $1.cost }
            for line in graph.lines[code] ?? [] {
                let factor = line.qtyPerUnit * DecimalMath.scrapFactor(line.scrapPercent)
                if let materialCode = line.materialCode {
                    material += factor * (materialCosts[materialCode] ?? 0)
                } else if let child = line.articleCode {
                    let sub = cost(child)
                    material += factor * sub.material
                    labourCost += factor * sub.labour
                }
            }
            visiting.remove(code)
            let result = RolledCost(material: material, labour: labourCost)
            memo[code] = result
            return result
        }
        for article in articles { _ = cost(article) }
        return memo
    }

    /// The breakdown of one article: each exploded material at its cost, each stage's labour (the article's
    /// own and its sub-assemblies', per unit of the article), overhead and total.
    public func breakdown(_ article: String, at date: LocalDate, bom: BOMReference?) -> ArticleCosting {
        let exploded = (try? graph.explode(article)) ?? []
        var missing: [String] = []
        let materials = exploded.map { item -> ArticleCosting.MaterialCost in
            let unitCost = materialCosts[item.materialCode]
            if unitCost == nil { missing.append(item.materialCode) }
            return .init(
                materialCode: item.materialCode, unit: item.unit, qtyPerUnit: item.qtyPerUnit, unitCost: unitCost,
                cost: DecimalMath.money(item.qtyPerUnit * (unitCost ?? 0)))
        }
        var minutes: [Stage: Decimal] = [:]
        func addLabour(_ code: String, _ factor: Decimal, depth: Int) {
            for entry in labour[code] ?? [] { minutes[entry.stage, default: 0] += factor * entry.minutes }
            guard depth < 64 else { return }
            for line in graph.lines[code] ?? [] {
                if let child = line.articleCode {
                    addLabour(child, factor * line.qtyPerUnit * DecimalMath.scrapFactor(line.scrapPercent), depth: depth + 1)
                }
            }
        }
        addLabour(article, 1, depth: 0)
        let stages = Stage.allCases.compactMap { stage in
            minutes[stage].map {
                ArticleCosting.StageCost(
                    stage: stage, minutes: $0, ratePerMinute: rates.rate(stage),
                    cost: DecimalMath.money($0 * rates.rate(stage)))
            }
        }
        let rolled = roll([article])[article] ?? RolledCost(material: 0, labour: 0)
        let materialCost = DecimalMath.money(rolled.material)
        let labourCost = DecimalMath.money(rolled.labour)
        let overhead = DecimalMath.money((rolled.material + rolled.labour) * rates.overheadPercent / 100)
        return ArticleCosting(
            articleCode: article, at: date, bom: bom, materials: materials, stages: stages,
            materialCost: materialCost, labourCost: labourCost, overheadPercent: rates.overheadPercent,
            overheadCost: overhead, total: rolled.total(rates), missingCosts: missing)
    }
}
