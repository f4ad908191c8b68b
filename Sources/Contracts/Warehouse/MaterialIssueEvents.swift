import Foundation

/// Material left the raw-material store for the line (an ISSUE or a DEBT_ISSUE), or came back
/// (RETURN_FROM_FLOOR, negative `qty`). BOMFinance adds it to the order's actual material cost.
public struct MaterialIssued: Event {
    public static let messageType = "warehouse.material.issued.v1"
    public var movementId: UUID
    public var orderCode: String?
    public var spkCode: String?
    public var materialCode: String
    public var unit: UnitOfMeasure
    /// Positive when issued, negative when returned from the floor.
    public var qty: Decimal
    /// The material's standard cost per unit when it moved (nil if it had none).
    public var unitCost: Decimal?
    public var occurredAt: Date

    public init(
        movementId: UUID, orderCode: String?, spkCode: String?, materialCode: String, unit: UnitOfMeasure,
        qty: Decimal, unitCost: Decimal?, occurredAt: Date
    ) {
        self.movementId = movementId
        self.orderCode = orderCode
        self.spkCode = spkCode
        self.materialCode = materialCode
        self.unit = unit
        self.qty = qty
        self.unitCost = unitCost
        self.occurredAt = occurredAt
    }
}
