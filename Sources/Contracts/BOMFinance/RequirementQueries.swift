import Foundation

/// What a manufacturing order needs, from the BOM version it is pinned to: each material of the
/// exploded (multi-level) BOM, per unit with scrap applied, and for the order's quantity.
/// Warehouse issues against it (`POST /api/v1/inventory/issues` without lines); the gateway serves
/// it as `GET /api/v1/bom/requirements?order=MO-…`.
public struct GetOrderRequirements: Query {
    public static let messageType = "bomfinance.order.requirements.get.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = OrderRequirements
    public var orderCode: String
    public init(orderCode: String) { self.orderCode = orderCode }
    public var inputProblems: [FieldError] { [] }
}

public struct OrderRequirements: Codable, Sendable, Hashable {
    public var orderCode: String
    public var articleCode: String
    public var qty: Int
    /// The BOM version the order is pinned to; nil when the order was made before its article had
    /// an active BOM (then `lines` is empty and `note` says so).
    public var bomId: UUID?
    public var bomCode: String?
    public var bomVersion: Int?
    public var lines: [MaterialRequirement]
    public var note: String?

    public init(
        orderCode: String, articleCode: String, qty: Int, bomId: UUID?, bomCode: String?, bomVersion: Int?,
        lines: [MaterialRequirement], note: String?
    ) {
        self.orderCode = orderCode
        self.articleCode = articleCode
        self.qty = qty
        self.bomId = bomId
        self.bomCode = bomCode
        self.bomVersion = bomVersion
        self.lines = lines
        self.note = note
    }
}

public struct MaterialRequirement: Codable, Sendable, Hashable {
    public var materialCode: String
    public var unit: UnitOfMeasure
    /// Per unit of the article, scrap included, summed over every level of the BOM.
    public var qtyPerUnit: Decimal
    /// `qtyPerUnit` × the order's quantity, rounded up to the unit's precision.
    public var required: Decimal

    public init(materialCode: String, unit: UnitOfMeasure, qtyPerUnit: Decimal, required: Decimal) {
        self.materialCode = materialCode
        self.unit = unit
        self.qtyPerUnit = qtyPerUnit
        self.required = required
    }
}
