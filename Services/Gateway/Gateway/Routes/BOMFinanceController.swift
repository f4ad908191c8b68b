import Contracts
import Foundation
import Hummingbird

/// `/api/v1/master`, `/api/v1/bom`, `/api/v1/costing`: materials, articles, BOM versions and costs,
/// each route a command or query to BOMFinance with the user as actor.
struct BOMFinanceController: Sendable {
    struct MaterialQuery: Decodable, Sendable, PagedQuery {
        var category: MaterialCategory?
        /// Part of the code or name.
        var search: String?
        var page: Int?
        var perPage: Int?
    }

    struct ScrapQuery: Decodable, Sendable {
        /// An NCR's code.
        var ncr: String?
        /// An order's code.
        var order: String?
    }

    struct ArticleQuery: Decodable, Sendable, PagedQuery {
        var search: String?
        var page: Int?
        var perPage: Int?
    }

    struct BOMQuery: Decodable, Sendable, PagedQuery {
        var articleCode: String?
        var status: BOMStatus?
        var page: Int?
        var perPage: Int?
    }

    struct ExplodeQuery: Decodable, Sendable {
        /// Add the flat multi-level material list.
        var explode: Bool?
    }

    struct RequirementsQuery: Decodable, Sendable {
        /// The order's code (MO-…).
        var order: String
    }

    struct CostingQuery: Decodable, Sendable {
        /// The cost as it was on this day (default today).
        var at: LocalDate?
    }

    struct MaterialChange: Codable, Sendable, BoundedInput {
        var name: String?
        var category: MaterialCategory?
        var unit: UnitOfMeasure?
        var active: Bool?
        func command(code: String) -> UpdateMaterial {
            UpdateMaterial(code: code, name: name, category: category, unit: unit, active: active)
        }
        var inputProblems: [FieldError] { command(code: "A").inputProblems }
    }

    struct CostBody: Codable, Sendable, BoundedInput {
        var cost: Decimal
        var effectiveFrom: LocalDate
        var reason: String
        func command(code: String) -> SetMaterialCost { SetMaterialCost(code: code, cost: cost, effectiveFrom: effectiveFrom, reason: reason) }
        var inputProblems: [FieldError] { command(code: "A").inputProblems }
    }

    struct ArticleChange: Codable, Sendable, BoundedInput {
        var name: String?
        var customer: String?
        var route: [Stage]?
        var labourMinutes: [StageMinutes]?
        var active: Bool?
        func command(code: String) -> UpdateArticle {
            UpdateArticle(code: code, name: name, customer: customer, route: route, labourMinutes: labourMinutes, active: active)
        }
        var inputProblems: [FieldError] { command(code: "A").inputProblems }
    }

    struct BOMChange: Codable, Sendable, BoundedInput {
        var lines: [BOMLine]?
        var notes: String?
        func command(bom: String) -> UpdateBOM { UpdateBOM(bom: bom, lines: lines, notes: notes) }
        var inputProblems: [FieldError] { command(bom: "A").inputProblems }
    }

    /// `code,name,category,unit[,standard_cost[,effective_from]]`, one material a row.
    struct MaterialsCSV: CSVBody {
        var text: String
        static var pattern: String {
            let categories = MaterialCategory.allCases.map(\.rawValue).joined(separator: "|")
            let units = UnitOfMeasure.allCases.map(\.rawValue).joined(separator: "|")
            return "^code,name,category,unit\\n([A-Z][A-Z0-9-]{2,20},[A-Za-z][A-Za-z ]{0,30},(\(categories)),(\(units))\\n){1,5}$"
        }
    }

    /// `code,name[,customer][,route][,labour_minutes]`, one article a row.
    struct ArticlesCSV: CSVBody {
        var text: String
        static var pattern: String { "^code,name\\n([A-Z][A-Z0-9-]{2,20},[A-Za-z][A-Za-z ]{0,30}\\n){1,5}$" }
    }

    func register(master: APIRoutes, bom: APIRoutes, costing: APIRoutes) {
        let editors = Access.roles(BOMFinancePermissions.editMasterData)
        let anyUser = Access.signedIn()

        master.add(
            .post, "materials", "Create a material (a standard cost needs FINANCE or ADMIN)", access: editors,
            body: CreateMaterial.self, reply: Material.self, status: .created
        ) { try await $0.send($0.body) }
        master.add(
            .get, "materials", "List materials (standard cost only for FINANCE, MANAGER, ADMIN)", access: anyUser,
            query: MaterialQuery.self, reply: Listed<Material>.self
        ) { call in
            Listed(try await call.send(ListMaterials(category: call.query.category, search: call.query.search, page: call.query.pageRequest)))
        }
        master.add(
            .post, "materials/import",
            "Import materials from CSV (code,name,category,unit[,standard_cost[,effective_from]]); all or nothing, each line answered",
            access: editors, body: MaterialsCSV.self, reply: ImportResult.self
        ) { call in
            try await call.send(ImportMaterials(csv: call.body.text), timeout: call.longTimeout)
        }
        master.add(
            .post, "articles/import",
            "Import articles from CSV (code,name[,customer][,route as CUTTING>SEWING][,labour_minutes as CUTTING:3;SEWING:14.5]); all or nothing, each line answered",
            access: editors, body: ArticlesCSV.self, reply: ImportResult.self
        ) { call in
            try await call.send(ImportArticles(csv: call.body.text), timeout: call.longTimeout)
        }
        master.add(
            .get, "materials/:code", "A material with its cost history",
            access: .signedIn(note: "cost history for FINANCE, MANAGER, ADMIN"), reply: MaterialDetail.self
        ) {
            try await $0.send(GetMaterialDetail(code: try Self.code($0)))
        }
        master.add(
            .put, "materials/:code", "Change a material's name, category, unit or active flag", access: editors,
            body: MaterialChange.self, reply: Material.self
        ) { try await $0.send($0.body.command(code: try Self.code($0))) }
        master.add(
            .post, "materials/:code/cost", "A new standard cost from a date (the old one is kept); articles using it are re-costed",
            access: .roles(BOMFinancePermissions.setCost), body: CostBody.self, reply: MaterialDetail.self
        ) {
            try await $0.send($0.body.command(code: try Self.code($0)))
        }
        master.add(
            .post, "articles", "Create an article with its route and labour minutes per stage", access: editors,
            body: CreateArticle.self, reply: Article.self, status: .created
        ) { try await $0.send($0.body) }
        master.add(.get, "articles", "List articles", access: anyUser, query: ArticleQuery.self, reply: Listed<Article>.self) { call in
            Listed(try await call.send(ListArticles(search: call.query.search, page: call.query.pageRequest)))
        }
        master.add(.get, "articles/:code", "An article", access: anyUser, reply: Article.self) {
            try await $0.send(GetArticle(code: try Self.code($0)))
        }
        master.add(
            .put, "articles/:code", "Change an article (route, labour minutes, name, customer, active)", access: editors,
            body: ArticleChange.self, reply: Article.self
        ) { try await $0.send($0.body.command(code: try Self.code($0))) }

        bom.add(
            .post, "create",
            "Create a DRAFT BOM version (BOM-<ARTICLE>-NNN); lines name a material or a sub-assembly article; a cycle is 422",
            access: editors, body: CreateBOM.self, reply: BOM.self, status: .created
        ) { try await $0.send($0.body) }
        bom.add(.get, "list", "List BOM versions", access: anyUser, query: BOMQuery.self, reply: Listed<BOM>.self) { call in
            Listed(try await call.send(ListBOMs(articleCode: call.query.articleCode, status: call.query.status, page: call.query.pageRequest)))
        }
        bom.add(
            .get, "requirements", "What an order needs from the BOM version it is pinned to (exploded × qty, scrap included)",
            access: anyUser, query: RequirementsQuery.self, reply: OrderRequirements.self
        ) { call in
            guard !call.query.order.isEmpty else {
                throw ErrorReply.validation([FieldError(field: "order", message: "is required (an order code, MO-…)")])
            }
            return try await call.send(GetOrderRequirements(orderCode: call.query.order))
        }
        bom.add(
            .get, ":id", "A BOM version; explode=true adds the flat multi-level material list", access: anyUser,
            query: ExplodeQuery.self, reply: BOM.self
        ) { try await $0.send(GetBOM(bom: try $0.parameter("id"), explode: $0.query.explode ?? false)) }
        bom.add(
            .put, ":id", "Change a DRAFT (an ACTIVE version answers 409: create a new version)", access: editors,
            body: BOMChange.self, reply: BOM.self
        ) { try await $0.send($0.body.command(bom: try $0.parameter("id"))) }
        bom.add(.delete, ":id", "Delete a DRAFT; archive any other version", access: editors, reply: BOM.self) {
            try await $0.send(ChangeBOM(bom: try $0.parameter("id"), action: .delete))
        }
        bom.add(.post, ":id/new-version", "Copy a version as the article's next DRAFT", access: editors, reply: BOM.self, status: .created) {
            try await $0.send(ChangeBOM(bom: try $0.parameter("id"), action: .newVersion))
        }
        bom.add(
            .post, ":id/activate", "Make a version the article's one ACTIVE BOM (the previous one becomes SUPERSEDED)",
            access: editors, reply: BOM.self
        ) { try await $0.send(ChangeBOM(bom: try $0.parameter("id"), action: .activate)) }

        costing.add(
            .get, "articles/:code", "An article's standard cost by material and stage, as it was on a date (default today)",
            access: .roles(BOMFinancePermissions.readMoney), query: CostingQuery.self, reply: ArticleCosting.self
        ) {
            try await $0.send(GetArticleCosting(articleCode: try Self.code($0), at: $0.query.at))
        }
        costing.add(
            .get, "orders/:code", "An order's planned and actual cost, reject cost and variance by material and stage",
            access: .roles(BOMFinancePermissions.readMoney), reply: OrderCosting.self
        ) {
            try await $0.send(GetOrderCosting(orderCode: try Self.code($0)))
        }
        costing.add(
            .get, "scrap", "What NCRs' SCRAP decisions cost: each SCRAP movement at standard cost × qty, newest first (at most 500)",
            access: .roles(BOMFinancePermissions.readMoney), query: ScrapQuery.self, reply: ScrapCosting.self
        ) {
            try await $0.send(GetScrapCosting(ncr: $0.query.ncr, order: $0.query.order))
        }
    }

    /// The `:code` of the path as an item code (400 if it cannot be one).
    static func code<Q, B>(_ call: Call<Q, B>) throws -> String {
        let code = try call.parameter("code")
        if let problem = ItemCode.problem(code, "code") { throw ErrorReply.validation([problem]) }
        return ItemCode.normalized(code)
    }
}
