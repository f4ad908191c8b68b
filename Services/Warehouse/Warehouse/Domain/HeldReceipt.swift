import Foundation

/// A material receipt held in QUARANTINE for its incoming inspection.
struct HeldReceipt: Sendable, Equatable {
    var movementId: UUID
    var itemCode: String
    var qty: Decimal
    var quarantine: String
    var releaseTo: String
    /// HELD, then RELEASED, REJECTED (failed), SCRAPPED or RETURNED.
    var status: String
}
