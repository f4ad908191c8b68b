import Contracts
import Foundation
import ServiceKit

/// Material debts, in the handler's unit of work: PostgreSQL (`PostgresDebtRepository`) or memory (`InMemoryDebtRepository`).
protocol DebtRepository: Sendable {
    func insert(_ debt: WarehouseDebt, in context: MessageContext) async throws
    /// Whether the approval was issued as a debt already (once per request).
    func exists(approval: UUID, in context: MessageContext) async throws -> Bool
    /// Open debts of `material`, oldest first, locked (two receipts settle one after the other).
    func openDebts(material: String, in context: MessageContext) async throws -> [WarehouseDebt]
    /// How far below zero approved debts let `material` go at `location`: what they still owe.
    func allowance(material: String, location: String, in context: MessageContext) async throws -> Decimal
    /// `qty` more of the debt paid back; `full`: nothing left owing.
    func settle(_ id: UUID, by qty: Decimal, full: Bool, in context: MessageContext) async throws
    /// Debts (of `status`, or any), newest first.
    func list(status: DebtStatus?, page: PageRequest, in context: MessageContext) async throws -> Page<WarehouseDebt>
}
