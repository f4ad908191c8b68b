import Contracts
import Foundation
import ServiceKit

/// Locations, the movement ledger and its balances, in the handler's unit of work: PostgreSQL
/// (`PostgresLedgerRepository`) or memory (`InMemoryLedgerRepository`). `Ledger` posts through it.
protocol LedgerRepository: Sendable {
    func insert(_ location: Location, in context: MessageContext) async throws
    /// By code, in any case.
    func location(_ code: String, in context: MessageContext) async throws -> Location?
    /// Locations (of `type`, or any), by code.
    func locations(type: LocationType?, page: PageRequest, in context: MessageContext) async throws -> Page<Location>
    /// The first location (by code) of `type`, and for FLOOR of `department`.
    func first(_ type: LocationType, department: Department?, in context: MessageContext) async throws -> Location?
    /// The raw-material location holding the most of `item` (the first one by code when none holds any).
    func richestRawLocation(for item: String, in context: MessageContext) async throws -> Location?
    /// The balance of `item` at `location`, locked until the transaction ends (competing movements of the same
    /// stock queue here, on every instance).
    func lockBalance(item: String, location: String, in context: MessageContext) async throws -> Decimal
    func addToBalance(item: String, location: String, delta: Decimal, in context: MessageContext) async throws
    /// Appends `new` as `actor`'s; 409 when it reverses a movement reversed already.
    func append(_ new: NewMovement, actor: Actor?, in context: MessageContext) async throws -> Movement
    func movement(_ id: UUID, in context: MessageContext) async throws -> Movement?
    /// The journal as `query` filters it, newest first.
    func movements(_ query: ListMovements, in context: MessageContext) async throws -> Page<Movement>
    /// Balances as `query` filters them, by item and location.
    func balances(_ query: ListBalances, in context: MessageContext) async throws -> Page<Balance>
    /// Net material issued against `reference` (issues and debt issues less returns), per material.
    func issuedNet(reference: String, in context: MessageContext) async throws -> [String: Decimal]
    /// A day-scoped counter (`DN` per day), never drawn twice.
    func nextCode(prefix: String, day: LocalDate, in context: MessageContext) async throws -> Int
}

extension LedgerRepository {
    func first(_ type: LocationType, in context: MessageContext) async throws -> Location? {
        try await first(type, department: nil, in: context)
    }
}

extension ErrorReply {
    /// A movement reversed a second time.
    static func alreadyReversed(_ id: UUID) -> ErrorReply { .conflict("Movement \(id) is already reversed.") }
}
