import Foundation

/// An article's standard cost broken down by material and stage, as it was on `at`.
public struct ArticleCosting: Codable, Sendable, Hashable {
    public struct MaterialCost: Codable, Sendable, Hashable {
        public var materialCode: String
        public var unit: UnitOfMeasure
        public var qtyPerUnit: Decimal
        /// Nil when the material had no cost on that date (counted as 0, listed in `missing_costs`).
        public var unitCost: Decimal?
        public var cost: Decimal
        public init(materialCode: String, unit: UnitOfMeasure, qtyPerUnit: Decimal, unitCost: Decimal?, cost: Decimal) {
            self.materialCode = materialCode
            self.unit = unit
            self.qtyPerUnit = qtyPerUnit
            self.unitCost = unitCost
            self.cost = cost
        }
    }
    public struct StageCost: Codable, Sendable, Hashable {
        public var stage: Stage
        public var minutes: Decimal
        public var ratePerMinute: Decimal
        public var cost: Decimal
        public init(stage: Stage, minutes: Decimal, ratePerMinute: Decimal, cost: Decimal) {
            self.stage = stage
            self.minutes = minutes
            self.ratePerMinute = ratePerMinute
            self.cost = cost
        }
    }
    public var articleCode: String
    public var at: LocalDate
    /// The BOM version active on `at`; nil when the article had none (material cost 0).
    public var bom: BOMReference?
    public var materials: [MaterialCost]
    public var stages: [StageCost]
    public var materialCost: Decimal
    public var labourCost: Decimal
    public var overheadPercent: Decimal
    public var overheadCost: Decimal
    public var total: Decimal
    public var missingCosts: [String]

    public init(
        articleCode: String, at: LocalDate, bom: BOMReference?, materials: [MaterialCost], stages: [StageCost],
        materialCost: Decimal, labourCost: Decimal, overheadPercent: Decimal, overheadCost: Decimal, total: Decimal,
        missingCosts: [String]
    ) {
        self.articleCode = articleCode
        self.at = at
        self.bom = bom
        self.materials = materials
        self.stages = stages
        self.materialCost = materialCost
        self.labourCost = labourCost
        self.overheadPercent = overheadPercent
        self.overheadCost = overheadCost
        self.total = total
        self.missingCosts = missingCosts
    }
}

/// `GET /api/v1/costing/articles/{code}[?at=YYYY-MM-DD]` (FINANCE, MANAGER, ADMIN).
public struct GetArticleCosting: Query {
    public static let messageType = "bomfinance.costing.article.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = ArticleCosting
    public var articleCode: String
    /// Default: today in the factory's time zone.
    public var at: LocalDate?
    public init(articleCode: String, at: LocalDate? = nil) {
        self.articleCode = articleCode
        self.at = at
    }
}

/// Planned against actual for one manufacturing order.
public struct OrderCosting: Codable, Sendable, Hashable {
    public struct Amounts: Codable, Sendable, Hashable {
        public var material: Decimal
        public var labour: Decimal
        public var total: Decimal
        public init(material: Decimal, labour: Decimal) {
            self.material = material
            self.labour = labour
            total = material + labour
        }
    }
    public struct MaterialVariance: Codable, Sendable, Hashable {
        public var materialCode: String
        public var plannedQty: Decimal
        public var plannedCost: Decimal
        public var actualQty: Decimal
        public var actualCost: Decimal
        /// Actual − planned: positive is over plan.
        public var variance: Decimal
        public init(materialCode: String, plannedQty: Decimal, plannedCost: Decimal, actualQty: Decimal, actualCost: Decimal) {
            self.materialCode = materialCode
            self.plannedQty = plannedQty
            self.plannedCost = plannedCost
            self.actualQty = actualQty
            self.actualCost = actualCost
            variance = actualCost - plannedCost
        }
    }
    public struct StageVariance: Codable, Sendable, Hashable {
        public var stage: Stage
        public var plannedQty: Int
        public var plannedCost: Decimal
        /// Units worked at the stage: good and rejected.
        public var actualQty: Int
        public var actualCost: Decimal
        public var rejectQty: Int
        /// Material and labour up to and including this stage, of the rejected units.
        public var rejectCost: Decimal
        public var variance: Decimal
        public init(
            stage: Stage, plannedQty: Int, plannedCost: Decimal, actualQty: Int, actualCost: Decimal, rejectQty: Int,
            rejectCost: Decimal
        ) {
            self.stage = stage
            self.plannedQty = plannedQty
            self.plannedCost = plannedCost
            self.actualQty = actualQty
            self.actualCost = actualCost
            self.rejectQty = rejectQty
            self.rejectCost = rejectCost
            variance = actualCost - plannedCost
        }
    }
    public var orderCode: String
    public var articleCode: String
    public var qty: Int
    public var bom: BOMReference?
    public var note: String?
    public var planned: Amounts
    public var actual: Amounts
    public var rejectCost: Decimal
    public var variance: Decimal
    public var byMaterial: [MaterialVariance]
    public var byStage: [StageVariance]

    public init(
        orderCode: String, articleCode: String, qty: Int, bom: BOMReference?, note: String?, planned: Amounts,
        actual: Amounts, rejectCost: Decimal, byMaterial: [MaterialVariance], byStage: [StageVariance]
    ) {
        self.orderCode = orderCode
        self.articleCode = articleCode
        self.qty = qty
        self.bom = bom
        self.note = note
        self.planned = planned
        self.actual = actual
        self.rejectCost = rejectCost
        variance = actual.total - planned.total
        self.byMaterial = byMaterial
        self.byStage = byStage
    }
}

/// `GET /api/v1/costing/orders/{code}` (FINANCE, MANAGER, ADMIN).
public struct GetOrderCosting: Query {
    public static let messageType = "bomfinance.costing.order.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = OrderCosting
    public var orderCode: String
    public init(orderCode: String) { self.orderCode = orderCode }
}

/// An article's standard cost moved (a material's cost, its BOM or its labour changed).
public struct ArticleCostChanged: Event {
    public static let messageType = "bomfinance.article.cost-changed.v1"
    public var articleCode: String
    public var previousCost: Decimal?
    public var cost: Decimal
    public var materialCost: Decimal
    public var labourCost: Decimal
    /// What set it off: `material:FAB-01`, `bom:BOM-BEAR-002`, `article:BEAR`.
    public var cause: String
    public var costedAt: Date
    public init(
        articleCode: String, previousCost: Decimal?, cost: Decimal, materialCost: Decimal, labourCost: Decimal,
        cause: String, costedAt: Date
    ) {
        self.articleCode = articleCode
        self.previousCost = previousCost
        self.cost = cost
        self.materialCost = materialCost
        self.labourCost = labourCost
        self.cause = cause
        self.costedAt = costedAt
    }
}
