import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// A handler's writes — its own rows, its audit row, its events' outbox rows — sent as one statement
/// (data-modifying CTEs), so a hot path pays one round trip instead of one per write. Everything
/// still happens inside the handler's transaction, exactly as the separate statements would.
///
///     var write = CombinedWrite()
///     write.add("INSERT INTO things (id, qty) VALUES (\(try write.bind(id)), \(try write.bind(qty)))")
///     try write.audit(context, "thing", id.uuidString, "create", before: Thing?.none, after: thing)
///     try write.publish(ThingCreated(thing: thing), context)
///     try await write.run(context)
public struct CombinedWrite {
    private var statements: [String] = []
    private var binds = StatementBinds()

    public init() {}

    /// The placeholder (`$n`) of `value`, bound to this statement.
    public mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws -> String {
        try binds.bind(value)
    }

    /// The placeholder of `value`, NULL when nil.
    public mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?) throws -> String {
        try binds.bind(value)
    }

    /// A data-modifying statement (INSERT, UPDATE, DELETE; no RETURNING needed).
    public mutating func add(_ statement: String) {
        statements.append(statement)
    }

    /// The audit row `MessageContext.audit` would write.
    public mutating func audit(
        _ context: MessageContext, _ entity: String, _ id: String, _ action: String,
        before: (some Encodable)?, after: (some Encodable)?
    ) throws {
        add(
            try AuditLog.insert(
                entity: entity, id: id, action: action, actor: context.actor,
                correlationId: context.header.correlationId, before: before, after: after, binding: &binds))
    }

    /// The outbox row `MessageContext.publish` would write: the event goes out once the transaction commits.
    public mutating func publish<E: Event>(_ event: E, _ context: MessageContext) throws {
        add(try Outbox.insert(try context.message(for: event), binding: &binds))
    }

    /// Audit rows of a batch, as one part whatever their number.
    public mutating func audit(_ rows: [AuditLog.Row]) throws {
        guard !rows.isEmpty else { return }
        add(try AuditLog.insertAll(rows, binding: &binds))
    }

    /// Outbox rows of a batch (in order), as one part whatever their number.
    public mutating func publish(_ messages: [OutgoingMessage]) throws {
        guard !messages.isEmpty else { return }
        add(try Outbox.insertAll(messages, binding: &binds))
    }

    /// The SQL sent: each statement as a CTE, all run once and to completion whatever the main query reads.
    public var sql: String {
        guard !statements.isEmpty else { return "SELECT 1" }
        return "WITH " + statements.enumerated().map { "w\($0.offset) AS (\($0.element))" }.joined(separator: ",\n") + "\nSELECT 1"
    }

    public func run(on connection: PostgresConnection, logger: Logger) async throws {
        guard !statements.isEmpty else { return }
        // Prepared: a handler's writes have one text per shape (the values are binds), so it is planned once.
        try await connection.prepared(sql, binds, logger: logger)
    }

    public func run(_ context: MessageContext) async throws {
        try await run(on: context.connection, logger: context.logger)
    }
}
