import Foundation

/// `POST /api/v1/master/materials` `{code, name, category, unit, standard_cost?, cost_effective_from?}`
public struct CreateMaterial: Command {
    public static let messageType = "bomfinance.material.create.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Material
    public var code: String
    public var name: String
    public var category: MaterialCategory
    public var unit: UnitOfMeasure
    public var standardCost: Decimal?
    /// Default: today in the factory's time zone.
    public var costEffectiveFrom: LocalDate?

    public init(
        code: String, name: String, category: MaterialCategory, unit: UnitOfMeasure, standardCost: Decimal? = nil,
        costEffectiveFrom: LocalDate? = nil
    ) {
        self.code = code
        self.name = name
        self.category = category
        self.unit = unit
        self.standardCost = standardCost
        self.costEffectiveFrom = costEffectiveFrom
    }

    public var inputProblems: [FieldError] {
        [
            ItemCode.problem(code, "code"), name.nonBlank == nil ? FieldError(field: "name", message: "is required") : nil,
            standardCost.flatMap { DecimalRules.checkMoney($0, "standard_cost") },
        ].compactMap { $0 }
    }
}

/// `PUT /api/v1/master/materials/{code}`: what is given changes; the cost changes only through `SetMaterialCost`.
public struct UpdateMaterial: Command {
    public static let messageType = "bomfinance.material.update.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Material
    public var code: String
    public var name: String?
    public var category: MaterialCategory?
    public var unit: UnitOfMeasure?
    public var active: Bool?
    public init(code: String, name: String? = nil, category: MaterialCategory? = nil, unit: UnitOfMeasure? = nil, active: Bool? = nil) {
        self.code = code
        self.name = name
        self.category = category
        self.unit = unit
        self.active = active
    }
    public var inputProblems: [FieldError] {
        [ItemCode.problem(code, "code"), name.map { $0.nonBlank == nil ? FieldError(field: "name", message: "must not be blank") : nil } ?? nil]
            .compactMap { $0 }
    }
}

/// `POST /api/v1/master/materials/{code}/cost {cost, effective_from, reason}`: a new standard cost from a date;
/// the old one is kept in the history.
public struct SetMaterialCost: Command {
    public static let messageType = "bomfinance.material.set-cost.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = MaterialDetail
    public var code: String
    public var cost: Decimal
    public var effectiveFrom: LocalDate
    public var reason: String
    public init(code: String, cost: Decimal, effectiveFrom: LocalDate, reason: String) {
        self.code = code
        self.cost = cost
        self.effectiveFrom = effectiveFrom
        self.reason = reason
    }
    public var inputProblems: [FieldError] {
        [
            ItemCode.problem(code, "code"), DecimalRules.checkMoney(cost, "cost"),
            reason.nonBlank == nil ? FieldError(field: "reason", message: "is required") : nil,
        ].compactMap { $0 }
    }
}

/// One standard cost of a material and the day it applies from.
public struct CostEntry: Codable, Sendable, Hashable {
    public var cost: Decimal
    public var effectiveFrom: LocalDate
    public var reason: String?
    public var recordedBy: String?
    public var recordedAt: Date
    public init(cost: Decimal, effectiveFrom: LocalDate, reason: String?, recordedBy: String?, recordedAt: Date) {
        self.cost = cost
        self.effectiveFrom = effectiveFrom
        self.reason = reason
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// A material with its cost history (newest first); money left out for roles that may not see it.
public struct MaterialDetail: Codable, Sendable, Hashable {
    public var material: Material
    public var costHistory: [CostEntry]?
    public init(material: Material, costHistory: [CostEntry]?) {
        self.material = material
        self.costHistory = costHistory
    }
}

/// `GET /api/v1/master/materials/{code}`: the material with its cost history.
public struct GetMaterialDetail: Query {
    public static let messageType = "bomfinance.material.detail.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = MaterialDetail
    public var code: String
    public init(code: String) { self.code = code }
}

/// `GET /api/v1/master/materials?category=&search=&page=&per_page=`
public struct ListMaterials: Query {
    public static let messageType = "bomfinance.material.list.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Page<Material>
    public var category: MaterialCategory?
    public var search: String?
    public var page: PageRequest
    public init(category: MaterialCategory? = nil, search: String? = nil, page: PageRequest = PageRequest()) {
        self.category = category
        self.search = search
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `POST /api/v1/master/materials/import` (`text/csv`): header `code,name,category,unit[,standard_cost[,effective_from]]`,
/// one material a row. All or nothing: one bad row and nothing is applied (422, each bad row named by line).
public struct ImportMaterials: Command, ItemwiseValidated {
    public static let messageType = "bomfinance.material.import.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = ImportResult
    public static let maxRows = 20_000
    public var csv: String
    public init(csv: String) { self.csv = csv }
}

/// `POST /api/v1/master/articles/import` (`text/csv`): header `code,name[,customer][,route][,labour_minutes]`,
/// one article a row (`route` as `CUTTING>SEWING`, `labour_minutes` as `CUTTING:3;SEWING:14.5`). All or
/// nothing, like materials.
public struct ImportArticles: Command, ItemwiseValidated {
    public static let messageType = "bomfinance.article.import.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = ImportResult
    public static let maxRows = 20_000
    public var csv: String
    public init(csv: String) { self.csv = csv }
}

/// What became of each row of an import.
public struct ImportResult: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var line: Int
        public var code: String?
        /// CREATED, UPDATED, UNCHANGED or REJECTED.
        public var outcome: String
        public var reason: String?
        public init(line: Int, code: String?, outcome: String, reason: String?) {
            self.line = line
            self.code = code
            self.outcome = outcome
            self.reason = reason
        }
    }
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var lines: [Line]
    public init(created: Int, updated: Int, unchanged: Int, rejected: Int, lines: [Line]) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.lines = lines
    }

    /// The counts of an import that was applied (nothing rejected), from its lines.
    public init(applied lines: [Line]) {
        self.init(
            created: lines.count { $0.outcome == "CREATED" }, updated: lines.count { $0.outcome == "UPDATED" },
            unchanged: lines.count { $0.outcome == "UNCHANGED" }, rejected: 0, lines: lines)
    }
}

/// `POST /api/v1/master/articles` `{code, name, customer?, route?, labour_minutes?}`
public struct CreateArticle: Command {
    public static let messageType = "bomfinance.article.create.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Article
    public var code: String
    public var name: String
    public var customer: String?
    /// Default: the five stages.
    public var route: [Stage]?
    public var labourMinutes: [StageMinutes]?
    public init(code: String, name: String, customer: String? = nil, route: [Stage]? = nil, labourMinutes: [StageMinutes]? = nil) {
        self.code = code
        self.name = name
        self.customer = customer
        self.route = route
        self.labourMinutes = labourMinutes
    }
    public var inputProblems: [FieldError] {
        var problems = [ItemCode.problem(code, "code"), name.nonBlank == nil ? FieldError(field: "name", message: "is required") : nil]
            .compactMap { $0 }
        problems += ArticleRules.routeProblems(route, labourMinutes)
        return problems
    }
}

/// `PUT /api/v1/master/articles/{code}`: what is given changes.
public struct UpdateArticle: Command {
    public static let messageType = "bomfinance.article.update.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Article
    public var code: String
    public var name: String?
    public var customer: String?
    public var route: [Stage]?
    public var labourMinutes: [StageMinutes]?
    public var active: Bool?
    public init(
        code: String, name: String? = nil, customer: String? = nil, route: [Stage]? = nil,
        labourMinutes: [StageMinutes]? = nil, active: Bool? = nil
    ) {
        self.code = code
        self.name = name
        self.customer = customer
        self.route = route
        self.labourMinutes = labourMinutes
        self.active = active
    }
    public var inputProblems: [FieldError] {
        var problems = [
            ItemCode.problem(code, "code"),
            name.map { $0.nonBlank == nil ? FieldError(field: "name", message: "must not be blank") : nil } ?? nil,
        ]
        .compactMap { $0 }
        problems += ArticleRules.routeProblems(route, labourMinutes)
        return problems
    }
}

/// `GET /api/v1/master/articles?search=&page=&per_page=`
public struct ListArticles: Query {
    public static let messageType = "bomfinance.article.list.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Page<Article>
    public var search: String?
    public var page: PageRequest
    public init(search: String? = nil, page: PageRequest = PageRequest()) {
        self.search = search
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// The rules of an article's route and labour minutes, shared by the gateway and BOMFinance.
public enum ArticleRules {
    /// The most minutes one unit may take at one stage.
    public static let maxMinutes = Decimal(10_000)

    public static func routeProblems(_ route: [Stage]?, _ labour: [StageMinutes]?) -> [FieldError] {
        var problems: [FieldError] = []
        if let route {
            if route.isEmpty { problems.append(.init(field: "route", message: "must name at least one stage")) }
            if Set(route).count != route.count {
                problems.append(.init(field: "route", message: "must not name a stage twice"))
            } else if route != Stage.defaultRoute.filter(route.contains) {
                problems.append(
                    .init(field: "route", message: "must follow the order \(Stage.defaultRoute.map(\.rawValue).joined(separator: " → "))"))
            }
        }
        if let labour {
            if Set(labour.map(\.stage)).count != labour.count {
                problems.append(.init(field: "labour_minutes", message: "must not name a stage twice"))
            }
            for (index, entry) in labour.enumerated() {
                if entry.minutes.isNaN || entry.minutes < 0 || entry.minutes > maxMinutes || !DecimalRules.fits(entry.minutes, scale: 2) {
                    problems.append(.init(field: "labour_minutes[\(index)].minutes", message: "must be 0 to \(maxMinutes) with at most 2 decimals"))
                }
            }
        }
        return problems
    }
}
