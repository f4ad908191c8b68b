import Foundation

/// `POST /api/v1/bom/create` `{article_code, lines: [{material_code | article_code, qty_per_unit, scrap_percent?}], notes?}`
public struct CreateBOM: Command {
    public static let messageType = "bomfinance.bom.create.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = BOM
    public var articleCode: String
    public var lines: [BOMLine]
    public var notes: String?
    public init(articleCode: String, lines: [BOMLine], notes: String? = nil) {
        self.articleCode = articleCode
        self.lines = lines
        self.notes = notes
    }
    public var inputProblems: [FieldError] {
        [ItemCode.problem(articleCode, "article_code")].compactMap { $0 } + BOMRules.lineProblems(lines)
    }
}

/// `PUT /api/v1/bom/{id}` `{lines?, notes?}`: changes a DRAFT (409 on any other status).
public struct UpdateBOM: Command {
    public static let messageType = "bomfinance.bom.update.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = BOM
    public var bom: String
    public var lines: [BOMLine]?
    public var notes: String?
    public init(bom: String, lines: [BOMLine]? = nil, notes: String? = nil) {
        self.bom = bom
        self.lines = lines
        self.notes = notes
    }
    public var inputProblems: [FieldError] { lines.map(BOMRules.lineProblems) ?? [] }
}

public enum BOMAction: String, Sendable, CaseInsensitiveEnum {
    /// Copy as the article's next DRAFT version.
    case newVersion = "NEW_VERSION"
    /// Make it the article's one ACTIVE version.
    case activate = "ACTIVATE"
    /// Delete a DRAFT, archive anything else.
    case delete = "DELETE"
}

/// `POST /api/v1/bom/{id}/new-version`, `POST /api/v1/bom/{id}/activate`, `DELETE /api/v1/bom/{id}`.
public struct ChangeBOM: Command {
    public static let messageType = "bomfinance.bom.change.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = BOM
    public var bom: String
    public var action: BOMAction
    public init(bom: String, action: BOMAction) {
        self.bom = bom
        self.action = action
    }
}

/// `GET /api/v1/bom/{id}[?explode=true]` (id or code).
public struct GetBOM: Query {
    public static let messageType = "bomfinance.bom.get.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = BOM
    public var bom: String
    public var explode: Bool
    public init(bom: String, explode: Bool = false) {
        self.bom = bom
        self.explode = explode
    }
}

/// `GET /api/v1/bom/list?article_code=&status=&page=&per_page=`
public struct ListBOMs: Query {
    public static let messageType = "bomfinance.bom.list.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Page<BOM>
    public var articleCode: String?
    public var status: BOMStatus?
    public var page: PageRequest
    public init(articleCode: String? = nil, status: BOMStatus? = nil, page: PageRequest = PageRequest()) {
        self.articleCode = articleCode
        self.status = status
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// What Production needs to plan an order for an article it has no copy of: its route and active BOM.
public struct GetArticlePlan: Query {
    public static let messageType = "bomfinance.article.plan.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = ArticlePlan
    public var articleCode: String
    public init(articleCode: String) { self.articleCode = articleCode }
}

public struct ArticlePlan: Codable, Sendable, Hashable {
    public var article: Article
    public var activeBOM: BOMReference?
    public init(article: Article, activeBOM: BOMReference?) {
        self.article = article
        self.activeBOM = activeBOM
    }
}

/// A BOM version as an order names it.
public struct BOMReference: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var version: Int
    public init(id: UUID, code: String, version: Int) {
        self.id = id
        self.code = code
        self.version = version
    }
}
