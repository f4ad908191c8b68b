import Contracts
import Foundation
import ServiceKit

/// What the warehouse knows of Quality's final-inspection lots (from its events): each lot's state and its cartons.
protocol InspectionLotRepository: Sendable {
    /// OPEN → PASSED | FAILED only: a late `opened` never undoes a verdict (events of one lot may arrive out of order).
    /// A carton moves to a newer lot only from a FAILED one.
    func keep(_ inspection: Inspection, in context: MessageContext) async throws
    /// The lot a carton is in and its state; nil when it is in none.
    func lot(of carton: UUID, in context: MessageContext) async throws -> (code: String, status: String)?
    /// A lot's state; nil when the warehouse never heard of it.
    func status(of lot: String, in context: MessageContext) async throws -> String?
    /// The cartons whose lot is `lot` now (a re-inspected carton belongs to its newest lot), by id.
    func cartons(of lot: String, in context: MessageContext) async throws -> [UUID]
    /// A FAILED lot released by a USE_AS_IS decision.
    func grantConcession(_ lot: String, in context: MessageContext) async throws
}

/// Material receipts held in QUARANTINE for Quality's incoming inspection.
protocol HeldReceiptRepository: Sendable {
    func hold(_ movement: Movement, releaseTo: String, in context: MessageContext) async throws
    /// The receipt `movement` still HELD, locked; nil when it is not held (any more).
    func held(movement: UUID, in context: MessageContext) async throws -> HeldReceipt?
    /// The receipt whose inspection is `code` (in any state), locked.
    func receipt(inspection code: String, in context: MessageContext) async throws -> HeldReceipt?
    /// A HELD receipt's inspection failed: REJECTED, with the inspection's code.
    func reject(movement: UUID, inspection code: String, in context: MessageContext) async throws
    /// The receipt's end: RELEASED, SCRAPPED or RETURNED, and the movement that released it.
    func close(movement: UUID, status: String, releasedBy: UUID?, in context: MessageContext) async throws
}
