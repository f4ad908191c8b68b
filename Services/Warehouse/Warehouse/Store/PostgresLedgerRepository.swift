import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Locations, the ledger and its balances, on the handler's connection (inside its transaction).
struct PostgresLedgerRepository: LedgerRepository {
    func insert(_ location: Location, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO locations (id, code, name, type, department, created_at)
            VALUES (\(location.id), \(location.code), \(location.name), \(location.type.rawValue), \(location.department?.rawValue),
                    \(location.createdAt))
            """, logger: context.logger)
    }

    func location(_ code: String, in context: MessageContext) async throws -> Location? {
        try await locations(context, where: "code = $1", [code.uppercased()], limit: 1, offset: 0).first
    }

    func locations(type: LocationType?, page: PageRequest, in context: MessageContext) async throws -> Page<Location> {
        let types = type.map { [$0.rawValue] } ?? LocationType.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await context.connection.query(
            "SELECT count(*)::bigint FROM locations WHERE type = ANY(\(types))",
            logger: context.logger
        ).decode(Int.self) { total = count }
        let items = try await locations(context, where: "type = ANY($1)", [types], limit: page.perPage, offset: page.offset)
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    /// The first location (by code) of `type`, and for FLOOR of `department`.
    func first(_ type: LocationType, department: Department?, in context: MessageContext) async throws -> Location? {
        if let department {
            return try await locations(context, where: "type = $1 AND department = $2", [type.rawValue, department.rawValue], limit: 1, offset: 0)
                .first
        }
        return try await locations(context, where: "type = $1", [type.rawValue], limit: 1, offset: 0).first
    }

    /// The raw-material location holding the most of `item` (the first one by code when none holds any).
    func richestRawLocation(for item: String, in context: MessageContext) async throws -> Location? {
        let rows = try await context.connection.query(
            """
            SELECT l.code FROM locations l LEFT JOIN balances b ON b.location = l.code AND b.item_code = \(item)
            WHERE l.type = 'RAW_MATERIAL' ORDER BY coalesce(b.qty, 0) DESC, l.code LIMIT 1
            """, logger: context.logger)
        for try await code in rows.decode(String.self) { return try await location(code, in: context) }
        return nil
    }

    private func locations(_ context: MessageContext, where condition: String, _ values: [any PostgresEncodable & Sendable], limit: Int, offset: Int)
        async throws -> [Location]
    {
        var binds = PostgresBindings()
        for value in values { try binds.append(value) }
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, code, name, type, department, created_at FROM locations WHERE \(condition)
                    ORDER BY code LIMIT \(limit) OFFSET \(offset)
                    """, binds: binds), logger: context.logger)
        var result: [Location] = []
        for try await (id, code, name, type, department, created) in rows.decode((UUID, String, String, String, String?, Date).self) {
            result.append(
                Location(
                    id: id, code: code, name: name, type: LocationType(rawValue: type) ?? .rawMaterial,
                    department: department.flatMap(Department.init(rawValue:)), createdAt: created))
        }
        return result
    }

    /// The balance of `item` at `location`, its row locked until the transaction ends (competing
    /// movements of the same stock queue here, on every instance).
    func lockBalance(item: String, location: String, in context: MessageContext) async throws -> Decimal {
        try await context.connection.query(
            """
            INSERT INTO balances (item_code, location, qty) VALUES (\(item), \(location), 0) ON CONFLICT DO NOTHING
            """, logger: context.logger)
        let rows = try await context.connection.query(
            "SELECT qty FROM balances WHERE item_code = \(item) AND location = \(location) FOR UPDATE", logger: context.logger)
        for try await qty in rows.decode(Decimal.self) { return qty }
        return 0
    }

    func addToBalance(item: String, location: String, delta: Decimal, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE balances SET qty = qty + \(delta), updated_at = now() WHERE item_code = \(item) AND location = \(location)
            """, logger: context.logger)
    }

    func append(_ new: NewMovement, actor: Actor?, in context: MessageContext) async throws -> Movement {
        do {
            return try await insert(new, actor: actor, context)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // `movements.reverses` is unique: a movement is reversed once.
            guard let reversed = new.reverses else { throw error }
            throw ErrorReply.alreadyReversed(reversed)
        }
    }

    private func insert(_ new: NewMovement, actor: Actor?, _ context: MessageContext) async throws -> Movement {
        let id = UUID()
        let rows = try await context.connection.query(
            """
            INSERT INTO movements (id, type, item_code, qty, from_location, to_location, reference, unit_cost, reason, reverses,
                                   actor_id, actor_name)
            VALUES (\(id), \(new.type.rawValue), \(new.item.code), \(new.qty), \(new.from), \(new.to), \(new.reference),
                    \(new.item.standardCost), \(new.reason), \(new.reverses), \(actor?.userId ?? "unknown"), \(actor?.username ?? "unknown"))
            RETURNING seq, occurred_at
            """, logger: context.logger)
        for try await (seq, at) in rows.decode((Int64, Date).self) {
            return Movement(new, id: id, sequence: seq, actor: actor, at: at)
        }
        throw ErrorReply(.internalError, "the movement was not stored")
    }

    static let movementColumns = """
        m.id, m.seq, m.type, m.item_code, i.kind, i.unit, m.qty, m.from_location, m.to_location, m.reference, m.unit_cost, m.reason,
        m.reverses, m.actor_name, m.occurred_at
        """

    func movement(_ id: UUID, in context: MessageContext) async throws -> Movement? {
        var binds = PostgresBindings()
        binds.append(id)
        return try await movements(context, where: "m.id = $1", binds: binds, limit: 1, offset: 0).first
    }

    func movements(_ query: ListMovements, in context: MessageContext) async throws -> Page<Movement> {
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
        for try await count in try await context.connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*)::bigint FROM movements m WHERE \(condition)", binds: binds), logger: context.logger
        ).decode(Int.self) {
            total = count
        }
        let items = try await movements(context, where: condition, binds: binds, limit: query.page.perPage, offset: query.page.offset)
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    private func movements(_ context: MessageContext, where condition: String, binds: PostgresBindings, limit: Int, offset: Int) async throws
        -> [Movement]
    {
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.movementColumns) FROM movements m JOIN items i ON i.code = m.item_code
                    WHERE \(condition) ORDER BY m.seq DESC LIMIT \(limit) OFFSET \(offset)
                    """, binds: binds), logger: context.logger)
        var result: [Movement] = []
        for try await (id, seq, type, item, kind, unit, qty, from, to, reference, cost, reason, reverses, actor, at)
            in rows.decode(
                (
                    UUID, Int64, String, String, String, String, Decimal, String?, String?, String?, Decimal?, String?, UUID?,
                    String, Date
                ).self)
        {
            result.append(
                Movement(
                    id: id, sequence: seq, type: MovementType(rawValue: type) ?? .adjustment, itemCode: item,
                    itemKind: ItemKind(rawValue: kind) ?? .material, unit: UnitOfMeasure(rawValue: unit) ?? .pcs,
                    qty: qty, fromLocation: from, toLocation: to, reference: reference, unitCost: cost, reason: reason,
                    reverses: reverses, actor: actor, occurredAt: at))
        }
        return result
    }

    func balances(_ query: ListBalances, in context: MessageContext) async throws -> Page<Balance> {
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
        for try await count in try await context.connection.query(
            PostgresQuery(unsafeSQL: "SELECT count(*)::bigint \(from)", binds: binds),
            logger: context.logger
        ).decode(Int.self) { total = count }
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT b.item_code, i.kind, i.unit, b.location, l.type, b.qty, b.updated_at \(from)
                    ORDER BY b.item_code, b.location LIMIT \(query.page.perPage) OFFSET \(query.page.offset)
                    """, binds: binds), logger: context.logger)
        var items: [Balance] = []
        for try await (item, kind, unit, location, type, qty, at) in rows.decode((String, String, String, String, String, Decimal, Date).self) {
            items.append(
                Balance(
                    itemCode: item, itemKind: ItemKind(rawValue: kind) ?? .material, unit: UnitOfMeasure(rawValue: unit) ?? .pcs,
                    location: location, locationType: LocationType(rawValue: type) ?? .rawMaterial, qty: qty, updatedAt: at))
        }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    /// Net material issued against `reference` (issues and debt issues less returns), per material.
    func issuedNet(reference: String, in context: MessageContext) async throws -> [String: Decimal] {
        let rows = try await context.connection.query(
            """
            SELECT item_code, sum(CASE WHEN type = 'RETURN_FROM_FLOOR' THEN -qty ELSE qty END) FROM movements
            WHERE reference = \(reference) AND type IN ('ISSUE', 'DEBT_ISSUE', 'RETURN_FROM_FLOOR') GROUP BY item_code
            """, logger: context.logger)
        var result: [String: Decimal] = [:]
        for try await (item, qty) in rows.decode((String, Decimal).self) { result[item] = qty }
        return result
    }

    /// A day-scoped counter (`DN` per day), drawn under the row's lock.
    func nextCode(prefix: String, day: LocalDate, in context: MessageContext) async throws -> Int {
        try await DayCounter.next(in: "code_counters", prefix: prefix, day: day, on: context.connection, logger: context.logger)
    }
}
