import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// An item as the warehouse knows it from BOMFinance.
struct ItemCopy: Sendable, Equatable {
    var code: String
    var kind: ItemKind
    var unit: UnitOfMeasure
    var standardCost: Decimal?
}

/// A movement about to be appended.
struct NewMovement: Sendable {
    var type: MovementType
    var item: ItemCopy
    var qty: Decimal
    var from: String?
    var to: String?
    var reference: String?
    var reason: String?
    var reverses: UUID? = nil
}

/// Locations, the item copy, the ledger and its balances, on the handler's connection (inside its transaction).
struct LedgerStore {
    let connection: PostgresConnection
    let logger: Logger

    // MARK: Items

    func item(_ code: String) async throws -> ItemCopy? {
        let rows = try await connection.query(
            "SELECT code, kind, unit, standard_cost FROM items WHERE code = \(code.uppercased())", logger: logger)
        for try await (code, kind, unit, cost) in rows.decode((String, String, String, Decimal?).self) {
            return ItemCopy(code: code, kind: ItemKind(rawValue: kind) ?? .material, unit: UnitOfMeasure(rawValue: unit) ?? .pcs,
                            standardCost: cost)
        }
        return nil
    }

    /// Keeps the newest version of an item BOMFinance told about.
    func keep(code: String, kind: ItemKind, name: String, unit: UnitOfMeasure, standardCost: Decimal?, active: Bool, version: Int) async throws {
        try await connection.query("""
            INSERT INTO items (code, kind, name, unit, standard_cost, active, version)
            VALUES (\(code.uppercased()), \(kind.rawValue), \(name), \(unit.rawValue), \(standardCost), \(active), \(version))
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, unit = EXCLUDED.unit, standard_cost = EXCLUDED.standard_cost,
                active = EXCLUDED.active, version = EXCLUDED.version
            WHERE items.version < EXCLUDED.version
            """, logger: logger)
    }

    func keep(_ material: Material) async throws {
        try await keep(code: material.code, kind: .material, name: material.name, unit: material.unit, standardCost: material.standardCost,
                       active: material.active, version: material.version)
        try await ReceiptHold.keepCategory(of: material, on: connection, logger: logger)
    }

    func keep(_ article: Article) async throws {
        try await keep(code: article.code, kind: .article, name: article.name, unit: .pcs, standardCost: nil, active: article.active,
                       version: article.version)
    }

    // MARK: Locations

    func insert(_ location: Location) async throws {
        try await connection.query("""
            INSERT INTO locations (id, code, name, type, department, created_at)
            VALUES (\(location.id), \(location.code), \(location.name), \(location.type.rawValue), \(location.department?.rawValue),
                    \(location.createdAt))
            """, logger: logger)
    }

    func location(_ code: String) async throws -> Location? {
        try await locations(where: "code = $1", [code.uppercased()], limit: 1, offset: 0).first
    }

    func locations(type: LocationType?, page: PageRequest) async throws -> Page<Location> {
        let types = type.map { [$0.rawValue] } ?? LocationType.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await connection.query("SELECT count(*)::bigint FROM locations WHERE type = ANY(\(types))",
                                                          logger: logger).decode(Int.self) { total = count }
        let items = try await locations(where: "type = ANY($1)", [types], limit: page.perPage, offset: page.offset)
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    /// The first location (by code) of `type`, and for FLOOR of `department`.
    func first(_ type: LocationType, department: Department? = nil) async throws -> Location? {
        if let department {
            return try await locations(where: "type = $1 AND department = $2", [type.rawValue, department.rawValue], limit: 1, offset: 0).first
        }
        return try await locations(where: "type = $1", [type.rawValue], limit: 1, offset: 0).first
    }

    /// The raw-material location holding the most of `item` (the first one by code when none holds any).
    func richestRawLocation(for item: String) async throws -> Location? {
        let rows = try await connection.query("""
            SELECT l.code FROM locations l LEFT JOIN balances b ON b.location = l.code AND b.item_code = \(item)
            WHERE l.type = 'RAW_MATERIAL' ORDER BY coalesce(b.qty, 0) DESC, l.code LIMIT 1
            """, logger: logger)
        for try await code in rows.decode(String.self) { return try await location(code) }
        return nil
    }

    private func locations(where condition: String, _ values: [any PostgresEncodable & Sendable], limit: Int, offset: Int) async throws -> [Location] {
        var binds = PostgresBindings()
        for value in values { try binds.append(value) }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT id, code, name, type, department, created_at FROM locations WHERE \(condition)
            ORDER BY code LIMIT \(limit) OFFSET \(offset)
            """, binds: binds), logger: logger)
        var result: [Location] = []
        for try await (id, code, name, type, department, created) in rows.decode((UUID, String, String, String, String?, Date).self) {
            result.append(Location(id: id, code: code, name: name, type: LocationType(rawValue: type) ?? .rawMaterial,
                                   department: department.flatMap(Department.init(rawValue:)), createdAt: created))
        }
        return result
    }

    // MARK: Balances and the ledger

    /// The balance of `item` at `location`, its row locked until the transaction ends (competing
    /// movements of the same stock queue here, on every instance).
    func lockBalance(item: String, location: String) async throws -> Decimal {
        try await connection.query("""
            INSERT INTO balances (item_code, location, qty) VALUES (\(item), \(location), 0) ON CONFLICT DO NOTHING
            """, logger: logger)
        let rows = try await connection.query(
            "SELECT qty FROM balances WHERE item_code = \(item) AND location = \(location) FOR UPDATE", logger: logger)
        for try await qty in rows.decode(Decimal.self) { return qty }
        return 0
    }

    func addToBalance(item: String, location: String, delta: Decimal) async throws {
        try await connection.query("""
            UPDATE balances SET qty = qty + \(delta), updated_at = now() WHERE item_code = \(item) AND location = \(location)
            """, logger: logger)
    }

    func append(_ new: NewMovement, actor: Actor?) async throws -> Movement {
        let id = UUID()
        let rows = try await connection.query("""
            INSERT INTO movements (id, type, item_code, qty, from_location, to_location, reference, unit_cost, reason, reverses,
                                   actor_id, actor_name)
            VALUES (\(id), \(new.type.rawValue), \(new.item.code), \(new.qty), \(new.from), \(new.to), \(new.reference),
                    \(new.item.standardCost), \(new.reason), \(new.reverses), \(actor?.userId ?? "unknown"), \(actor?.username ?? "unknown"))
            RETURNING seq, occurred_at
            """, logger: logger)
        for try await (seq, at) in rows.decode((Int64, Date).self) {
            return Movement(id: id, sequence: seq, type: new.type, itemCode: new.item.code, itemKind: new.item.kind, unit: new.item.unit,
                            qty: new.qty, fromLocation: new.from, toLocation: new.to, reference: new.reference,
                            unitCost: new.item.standardCost, reason: new.reason, reverses: new.reverses,
                            actor: actor?.username ?? "unknown", occurredAt: at)
        }
        throw ErrorReply(.internalError, "the movement was not stored")
    }

    static let movementColumns = """
        m.id, m.seq, m.type, m.item_code, i.kind, i.unit, m.qty, m.from_location, m.to_location, m.reference, m.unit_cost, m.reason,
        m.reverses, m.actor_name, m.occurred_at
        """

    func movement(_ id: UUID) async throws -> Movement? {
        var binds = PostgresBindings()
        binds.append(id)
        return try await movements(where: "m.id = $1", binds: binds, limit: 1, offset: 0).first
    }

    func movements(_ query: ListMovements) async throws -> Page<Movement> {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func add(_ condition: String, _ value: some PostgresEncodable & Sendable) throws {
            try binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let item = query.itemCode { try add("m.item_code = ?", item.uppercased()) }
        if let location = query.location { try add("(m.from_location = ? OR m.to_location = ?)", location.uppercased()) }
        if let type = query.type { try add("m.type = ?", type.rawValue) }
        if let reference = query.reference { try add("m.reference = ?", reference) }
        if let from = query.from { try add("m.occurred_at >= ?::date", from.description) }
        if let to = query.to { try add("m.occurred_at < (?::date + 1)", to.description) }
        let condition = conditions.isEmpty ? "true" : conditions.joined(separator: " AND ")
        var total = 0
        for try await count in try await connection.query(PostgresQuery(
            unsafeSQL: "SELECT count(*)::bigint FROM movements m WHERE \(condition)", binds: binds), logger: logger).decode(Int.self) {
            total = count
        }
        let items = try await movements(where: condition, binds: binds, limit: query.page.perPage, offset: query.page.offset)
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    private func movements(where condition: String, binds: PostgresBindings, limit: Int, offset: Int) async throws -> [Movement] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.movementColumns) FROM movements m JOIN items i ON i.code = m.item_code
            WHERE \(condition) ORDER BY m.seq DESC LIMIT \(limit) OFFSET \(offset)
            """, binds: binds), logger: logger)
        var result: [Movement] = []
        for try await (id, seq, type, item, kind, unit, qty, from, to, reference, cost, reason, reverses, actor, at)
            in rows.decode((UUID, Int64, String, String, String, String, Decimal, String?, String?, String?, Decimal?, String?, UUID?,
                            String, Date).self) {
            result.append(Movement(id: id, sequence: seq, type: MovementType(rawValue: type) ?? .adjustment, itemCode: item,
                                   itemKind: ItemKind(rawValue: kind) ?? .material, unit: UnitOfMeasure(rawValue: unit) ?? .pcs,
                                   qty: qty, fromLocation: from, toLocation: to, reference: reference, unitCost: cost, reason: reason,
                                   reverses: reverses, actor: actor, occurredAt: at))
        }
        return result
    }

    func balances(_ query: ListBalances) async throws -> Page<Balance> {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func add(_ condition: String, _ value: String) throws {
            binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let item = query.itemCode { try add("b.item_code = ?", item.uppercased()) }
        if let location = query.location { try add("b.location = ?", location.uppercased()) }
        if let type = query.locationType { try add("l.type = ?", type.rawValue) }
        let condition = conditions.isEmpty ? "true" : conditions.joined(separator: " AND ")
        let from = "FROM balances b JOIN locations l ON l.code = b.location JOIN items i ON i.code = b.item_code WHERE \(condition)"
        var total = 0
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint \(from)", binds: binds),
                                                          logger: logger).decode(Int.self) { total = count }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT b.item_code, i.kind, i.unit, b.location, l.type, b.qty, b.updated_at \(from)
            ORDER BY b.item_code, b.location LIMIT \(query.page.perPage) OFFSET \(query.page.offset)
            """, binds: binds), logger: logger)
        var items: [Balance] = []
        for try await (item, kind, unit, location, type, qty, at) in rows.decode((String, String, String, String, String, Decimal, Date).self) {
            items.append(Balance(itemCode: item, itemKind: ItemKind(rawValue: kind) ?? .material, unit: UnitOfMeasure(rawValue: unit) ?? .pcs,
                                 location: location, locationType: LocationType(rawValue: type) ?? .rawMaterial, qty: qty, updatedAt: at))
        }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    /// Net material issued against `reference` (issues and debt issues less returns), per material.
    func issuedNet(reference: String) async throws -> [String: Decimal] {
        let rows = try await connection.query("""
            SELECT item_code, sum(CASE WHEN type = 'RETURN_FROM_FLOOR' THEN -qty ELSE qty END) FROM movements
            WHERE reference = \(reference) AND type IN ('ISSUE', 'DEBT_ISSUE', 'RETURN_FROM_FLOOR') GROUP BY item_code
            """, logger: logger)
        var result: [String: Decimal] = [:]
        for try await (item, qty) in rows.decode((String, Decimal).self) { result[item] = qty }
        return result
    }

    /// A day-scoped counter (`DN` per day), drawn under the row's lock.
    func nextCode(prefix: String, day: LocalDate) async throws -> Int {
        try await DayCounter.next(in: "code_counters", prefix: prefix, day: day, on: connection, logger: logger)
    }
}
