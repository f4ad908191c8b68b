import Foundation

/// One SCRAP movement of an NCR as BOMFinance valued it: the item's standard cost on the day it was
/// scrapped (a material's cost in force, an article's rolled-up standard cost) × qty.
public struct ScrapLine: Codable, Sendable, Hashable {
    public var movementId: UUID
    public var ncrCode: String
    public var orderCode: String?
    public var itemCode: String
    public var itemKind: ItemKind
    public var qty: Decimal
    /// Nil when the item has no standard cost (then `value` is nil too).
    public var unitCost: Decimal?
    public var value: Decimal?
    public var occurredAt: Date
    public init(
        movementId: UUID, ncrCode: String, orderCode: String?, itemCode: String, itemKind: ItemKind, qty: Decimal, unitCost: Decimal?,
        value: Decimal?, occurredAt: Date
    ) {
        self.movementId = movementId
        self.ncrCode = ncrCode
        self.orderCode = orderCode
        self.itemCode = itemCode
        self.itemKind = itemKind
        self.qty = qty
        self.unitCost = unitCost
        self.value = value
        self.occurredAt = occurredAt
    }
}

public struct ScrapCosting: Codable, Sendable, Hashable {
    public var totalValue: Decimal
    /// Lines without a standard cost (not in `totalValue`).
    public var unvalued: Int
    public var lines: [ScrapLine]
    public init(totalValue: Decimal, unvalued: Int, lines: [ScrapLine]) {
        self.totalValue = totalValue
        self.unvalued = unvalued
        self.lines = lines
    }
}

/// `GET /api/v1/costing/scrap?ncr=&order=` (FINANCE, MANAGER, ADMIN): what NCRs' SCRAP decisions cost,
/// newest first (at most `maxLines`).
public struct GetScrapCosting: Query {
    public static let messageType = "bomfinance.costing.scrap.v1"
    public static let owner = ServiceName.bomfinance
    public typealias Reply = ScrapCosting
    public var ncr: String?
    public var order: String?
    public static let maxLines = 500
    public init(ncr: String? = nil, order: String? = nil) {
        self.ncr = ncr
        self.order = order
    }
}
