import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Locations, the ledger and balances in memory, for handler tests: the same filters, order, paging and
/// refusals as `PostgresLedgerRepository` (its locks are moot in one process). Reads item kinds and units
/// from `items`, as the SQL joins `items`.
final class InMemoryLedgerRepository: LedgerRepository {
    private struct State {
        var locations: [String: Location] = [:]
        var balances: [Ledger.Key: (qty: Decimal, updatedAt: Date)] = [:]
        var movements: [Movement] = []
        var counters: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let items: any ItemRepository

    init(items: any ItemRepository) {
        self.items = items
    }

    func insert(_ location: Location, in context: MessageContext) async throws {
        state.withLock { $0.locations[location.code] = location }
    }

    func location(_ code: String, in context: MessageContext) async throws -> Location? {
        state.withLock { $0.locations[code.uppercased()] }
    }

    private var sortedLocations: [Location] {
        state.withLock { $0.locations.values.sorted { $0.code < $1.code } }
    }

    func locations(type: LocationType?, page: PageRequest, in context: MessageContext) async throws -> Page<Location> {
        Page(slicing: sortedLocations.filter { type == nil || $0.type == type }, page)
    }

    func first(_ type: LocationType, department: Department?, in context: MessageContext) async throws -> Location? {
        sortedLocations.first { $0.type == type && (department == nil || $0.department == department) }
    }

    func richestRawLocation(for item: String, in context: MessageContext) async throws -> Location? {
        let held = state.withLock { state in state.balances.filter { $0.key.item == item }.mapValues(\.qty) }
        func qty(_ location: Location) -> Decimal { held[Ledger.Key(item: item, location: location.code)] ?? 0 }
        return sortedLocations.filter { $0.type == .rawMaterial }.min { qty($0) != qty($1) ? qty($0) > qty($1) : $0.code < $1.code }
    }

    func lockBalance(item: String, location: String, in context: MessageContext) async throws -> Decimal {
        state.withLock { state in
            let key = Ledger.Key(item: item, location: location)
            if state.balances[key] == nil { state.balances[key] = (0, context.now) }
            return state.balances[key]!.qty
        }
    }

    func addToBalance(item: String, location: String, delta: Decimal, in context: MessageContext) async throws {
        state.withLock { state in
            let key = Ledger.Key(item: item, location: location)
            guard let balance = state.balances[key] else { return }
            state.balances[key] = (balance.qty + delta, context.now)
        }
    }

    func append(_ new: NewMovement, actor: Actor?, in context: MessageContext) async throws -> Movement {
        try state.withLock { state throws(ErrorReply) in
            if let reversed = new.reverses, state.movements.contains(where: { $0.reverses == reversed }) { throw .alreadyReversed(reversed) }
            let movement = Movement(new, id: UUID(), sequence: Int64(state.movements.count + 1), actor: actor, at: context.now)
            state.movements.append(movement)
            return movement
        }
    }

    func movement(_ id: UUID, in context: MessageContext) async throws -> Movement? {
        state.withLock { $0.movements.first { $0.id == id } }
    }

    func movements(_ query: ListMovements, in context: MessageContext) async throws -> Page<Movement> {
        let utc = TimeZone(identifier: "UTC")!
        let matching = state.withLock { $0.movements }.reversed().filter { movement in
            let day = LocalDate.of(movement.occurredAt, in: utc)
            return query.itemCode.map { movement.itemCode == $0.uppercased() } ?? true
                && query.location.map { [movement.fromLocation, movement.toLocation].contains($0.uppercased()) } ?? true
                && query.type.map { movement.type == $0 } ?? true
                && query.reference.map { movement.reference == $0 } ?? true
                && query.from.map { day >= $0 } ?? true
                && query.to.map { day <= $0 } ?? true
        }
        return Page(slicing: matching, query.page)
    }

    func balances(_ query: ListBalances, in context: MessageContext) async throws -> Page<Balance> {
        let (balances, locations) = state.withLock { ($0.balances, $0.locations) }
        var rows: [Balance] = []
        for (key, balance) in balances.sorted(by: { $0.key < $1.key }) {
            guard let location = locations[key.location], let item = try await items.item(key.item, in: context) else { continue }
            if let code = query.itemCode, key.item != code.uppercased() { continue }
            if let code = query.location, key.location != code.uppercased() { continue }
            if let type = query.locationType, location.type != type { continue }
            rows.append(
                Balance(
                    itemCode: key.item, itemKind: item.kind, unit: item.unit, location: key.location, locationType: location.type,
                    qty: balance.qty, updatedAt: balance.updatedAt))
        }
        return Page(slicing: rows, query.page)
    }

    func issuedNet(reference: String, in context: MessageContext) async throws -> [String: Decimal] {
        var result: [String: Decimal] = [:]
        for movement in state.withLock({ $0.movements }) where movement.reference == reference {
            switch movement.type {
            case .issue, .debtIssue: result[movement.itemCode, default: 0] += movement.qty
            case .returnFromFloor: result[movement.itemCode, default: 0] -= movement.qty
            default: break
            }
        }
        return result
    }

    func nextCode(prefix: String, day: LocalDate, in context: MessageContext) async throws -> Int {
        state.withLock { state in
            state.counters["\(prefix) \(day)", default: 0] += 1
            return state.counters["\(prefix) \(day)"]!
        }
    }
}
