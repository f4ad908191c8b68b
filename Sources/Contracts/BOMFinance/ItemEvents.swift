import Foundation

/// Master data changes, for every service that keeps a copy of the items (Production learns
/// articles' routes, Warehouse materials and articles). Each carries the item as it is now.
public struct MaterialCreated: Event {
    public static let messageType = "bomfinance.material.created.v1"
    public var material: Material
    public init(material: Material) { self.material = material }
}

public struct MaterialChanged: Event {
    public static let messageType = "bomfinance.material.changed.v1"
    public var material: Material
    public init(material: Material) { self.material = material }
}

/// A material's standard cost changed from `effectiveFrom`; `material` carries the new cost.
public struct MaterialCostChanged: Event {
    public static let messageType = "bomfinance.material.cost-changed.v1"
    public var material: Material
    public var previousCost: Decimal?
    public var effectiveFrom: LocalDate
    public var reason: String
    public init(material: Material, previousCost: Decimal?, effectiveFrom: LocalDate, reason: String) {
        self.material = material
        self.previousCost = previousCost
        self.effectiveFrom = effectiveFrom
        self.reason = reason
    }
}

public struct ArticleCreated: Event {
    public static let messageType = "bomfinance.article.created.v1"
    public var article: Article
    public init(article: Article) { self.article = article }
}

public struct ArticleChanged: Event {
    public static let messageType = "bomfinance.article.changed.v1"
    public var article: Article
    public init(article: Article) { self.article = article }
}
