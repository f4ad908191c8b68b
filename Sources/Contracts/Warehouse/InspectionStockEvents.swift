import Foundation

/// The warehouse could not carry out a Quality verdict on stock — a failed lot's cartons into QUARANTINE,
/// a passed receipt out of it to where it was received for — and moved nothing. Quality shows `reason`
/// on the inspection (`stock_note`), where QC and the warehouse see what is left to put right.
public struct InspectionStockRefused: Event {
    public static let messageType = "warehouse.inspection-stock.refused.v1"
    /// A final inspection's `QI-…` or an incoming inspection's code.
    public var inspectionCode: String
    public var reason: String
    public var occurredAt: Date
    public init(inspectionCode: String, reason: String, occurredAt: Date) {
        self.inspectionCode = inspectionCode
        self.reason = reason
        self.occurredAt = occurredAt
    }
}
