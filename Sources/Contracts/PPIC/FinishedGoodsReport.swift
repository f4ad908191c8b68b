import Foundation

/// `GET /api/v1/ppic/reports/finished-goods?date=`: what the warehouse confirmed into finished goods on
/// a day, per order, with each order's total so far (from `warehouse.carton.confirmed.v1`).
public struct GetFinishedGoodsReport: Query {
    public static let messageType = "ppic.reports.finished-goods.v1"
    public static let owner = ServiceName.ppic
    public typealias Reply = FinishedGoodsReport
    /// Nil: the factory's today.
    public var date: LocalDate?
    public init(date: LocalDate? = nil) { self.date = date }
    public var inputProblems: [FieldError] { [] }
}

public struct FinishedGoodsReport: Codable, Sendable, Hashable {
    public var date: LocalDate
    public var qty: Int
    public var cartons: Int
    public var byOrder: [OrderFinishedGoods]
    public init(date: LocalDate, qty: Int, cartons: Int, byOrder: [OrderFinishedGoods]) {
        self.date = date
        self.qty = qty
        self.cartons = cartons
        self.byOrder = byOrder
    }
}

public struct OrderFinishedGoods: Codable, Sendable, Hashable {
    /// Nil for cartons of stand-alone SPKs.
    public var orderCode: String?
    public var articleCode: String
    public var qty: Int
    public var cartons: Int
    /// Everything received for the order up to and including the date.
    public var qtyToDate: Int
    public init(orderCode: String?, articleCode: String, qty: Int, cartons: Int, qtyToDate: Int) {
        self.orderCode = orderCode
        self.articleCode = articleCode
        self.qty = qty
        self.cartons = cartons
        self.qtyToDate = qtyToDate
    }
}
