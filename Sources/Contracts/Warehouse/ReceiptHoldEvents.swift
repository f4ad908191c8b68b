import Foundation

/// A RECEIPT of a material whose category is inspected on receipt landed in QUARANTINE instead of
/// `releaseTo`; Quality opens an incoming inspection, and its pass releases the stock.
public struct MaterialReceiptHeld: Event {
    public static let messageType = "warehouse.receipt.held.v1"
    public var movementId: UUID
    public var materialCode: String
    public var category: MaterialCategory
    public var qty: Decimal
    public var quarantine: String
    public var releaseTo: String
    public var reference: String?
    public var occurredAt: Date
    public init(
        movementId: UUID, materialCode: String, category: MaterialCategory, qty: Decimal, quarantine: String, releaseTo: String,
        reference: String?, occurredAt: Date
    ) {
        self.movementId = movementId
        self.materialCode = materialCode
        self.category = category
        self.qty = qty
        self.quarantine = quarantine
        self.releaseTo = releaseTo
        self.reference = reference
        self.occurredAt = occurredAt
    }
}
