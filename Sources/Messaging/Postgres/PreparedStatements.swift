import Logging
import PostgresNIO
import Synchronization

/// Binds for a statement run as a named prepared statement (`PostgresConnection.prepared`): each
/// value's placeholder and its type, so the statement can be prepared once per connection with the
/// very types it is run with.
public struct StatementBinds: Sendable {
    public private(set) var bindings = PostgresBindings()
    public private(set) var types: [PostgresDataType] = []

    public init() {}

    /// The placeholder (`$n`) of `value`.
    public mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws -> String {
        try bindings.append(value)
        types.append(value.psqlType)
        return "$\(bindings.count)"
    }

    /// The placeholder of `value`, NULL when nil (its type then left to the server, as for a NULL in `query`).
    public mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?) throws -> String {
        try bindings.append(value)
        types.append(value?.psqlType ?? .null)
        return "$\(bindings.count)"
    }
}

/// A statement written like a `PostgresQuery` literal (`"… WHERE id = ANY(\(ids))"`), each interpolated value
/// a bind with its type, to run as a named prepared statement (`PostgresConnection.prepared(_:logger:)`).
public struct PreparedSQL: ExpressibleByStringInterpolation, Sendable {
    public var sql: String
    public var binds: StatementBinds

    public init(stringLiteral value: String) {
        sql = value
        binds = StatementBinds()
    }

    public init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds = StatementBinds()

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + 4 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        public mutating func appendInterpolation<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws {
            sql += try binds.bind(value)
        }

        public mutating func appendInterpolation<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?) throws {
            sql += try binds.bind(value)
        }
    }
}

extension PostgresConnection {
    /// `prepared(_:_:logger:)` for a statement written as a literal with its values interpolated.
    @discardableResult
    public func prepared(_ statement: PreparedSQL, logger: Logger) async throws -> [PostgresRow] {
        try await prepared(statement.sql, statement.binds, logger: logger)
    }

    /// Runs `sql` as a named prepared statement of this connection — parsed and planned by PostgreSQL
    /// once per connection instead of on every call (the hot paths' statements; profiles showed parse,
    /// analysis and planning at a quarter of PostgreSQL's CPU per daily input) — and returns its rows.
    /// Same transaction, same errors as `query`. For statements whose text is one of a few fixed shapes;
    /// past a bound on names it runs them unprepared, so a caller with ever-new text cannot grow it.
    @discardableResult
    public func prepared(_ sql: String, _ binds: StatementBinds, logger: Logger) async throws -> [PostgresRow] {
        guard let name = PreparedNames.shared.name(for: sql, types: binds.types) else {
            return try await query(PostgresQuery(unsafeSQL: sql, binds: binds.bindings), logger: logger).collect()
        }
        do {
            return try await AnyStatement.$current.withValue(.init(name: name, sql: sql, types: binds.types)) {
                var rows: [PostgresRow] = []
                for try await row in try await execute(AnyStatement(bindings: binds.bindings), logger: logger) { rows.append(row) }
                return rows
            }
        } catch {
            // PostgresNIO keeps a failed preparation's error for the name on this connection for good (one
            // made inside an aborted transaction, say): the next use takes a fresh name and prepares again.
            PreparedNames.shared.retire(sql: sql, types: binds.types)
            throw error
        }
    }
}

/// Names of the prepared statements, one per distinct text and bind types, the same on every connection.
final class PreparedNames: Sendable {
    static let shared = PreparedNames()
    static let limit = 2_000

    private struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private let state = Mutex<(names: [Key: String], issued: Int)>(([:], 0))

    func name(for sql: String, types: [PostgresDataType]) -> String? {
        let key = Key(sql: sql, types: types.map(\.rawValue))
        return state.withLock { state in
            if let name = state.names[key] { return name }
            guard state.issued < Self.limit else { return nil }
            state.issued += 1
            let name = "stitch_\(state.issued)"
            state.names[key] = name
            return name
        }
    }

    func retire(sql: String, types: [PostgresDataType]) {
        let key = Key(sql: sql, types: types.map(\.rawValue))
        _ = state.withLock { $0.names.removeValue(forKey: key) }
    }
}

/// PostgresNIO names a prepared statement by its type (`static var name`, `sql`); this one type stands for
/// every statement `prepared` runs, reading the statement of the moment from a task-local value (PostgresNIO
/// reads them in `execute`, inside the `withValue` scope).
struct AnyStatement: PostgresPreparedStatement {
    struct Current: Sendable {
        var name: String
        var sql: String
        var types: [PostgresDataType]
    }

    @TaskLocal static var current = Current(name: "", sql: "", types: [])

    static var name: String { current.name }
    static var sql: String { current.sql }
    static var bindingDataTypes: [PostgresDataType] { current.types }

    typealias Row = PostgresRow
    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
