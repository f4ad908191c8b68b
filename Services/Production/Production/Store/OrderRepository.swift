import Contracts
import Foundation
import ServiceKit

/// Manufacturing orders. Their status, progress and finished figures are derived from their SPKs (and the cartons
/// the warehouse confirmed for them) when read, never stored. Works in the message's unit of work, as
/// `SPKRepository` does; an order's SPKs are written through `SPKRepository`.
protocol OrderRepository: Sendable {
    /// The next code of `day` (`MO-YYYYMMDD-NNNN`), unique across instances.
    func nextCode(on day: LocalDate, in context: MessageContext) async throws -> String
    /// A new order (its own fields; `spks` and the derived figures are not stored); a code taken already is a 409.
    func insert(_ order: ManufacturingOrder, in context: MessageContext) async throws
    /// By id or code, with its SPKs in route order.
    func find(_ reference: String, in context: MessageContext) async throws -> ManufacturingOrder?
    /// Filtered, newest first, one page of them (without their SPKs).
    func list(_ query: ListOrders, in context: MessageContext) async throws -> Page<ManufacturingOrder>
    /// A carton the warehouse confirmed: counted once per carton.
    func recordWarehouseReceipt(_ event: CartonConfirmed, in context: MessageContext) async throws
}
