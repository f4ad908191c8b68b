import Foundation

/// One material by code — for a service that meets a code it has no copy of yet.
public struct GetMaterial: Query {
    public static let messageType = "bomfinance.material.get.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Material
    public var code: String
    public init(code: String) { self.code = code }
    public var inputProblems: [FieldError] { [] }
}

/// One article by code — for a service that meets a code it has no copy of yet.
public struct GetArticle: Query {
    public static let messageType = "bomfinance.article.get.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = Article
    public var code: String
    public init(code: String) { self.code = code }
    public var inputProblems: [FieldError] { [] }
}
