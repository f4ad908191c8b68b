import Contracts
import Logging
import Messaging
import PostgresNIO
import Synchronization

/// What a handler leaves besides its own records, committed with them: the messages to send once the
/// transaction commits (the outbox) and who changed what (the audit log). PostgreSQL in a running
/// service; `RecordedEffects` in a unit test, which reads them back.
public protocol TransactionEffects: Sendable {
    func enqueue(_ messages: [OutgoingMessage]) async throws
    func audit(_ rows: [AuditLog.Row]) async throws
    /// A point in the transaction `rollback(to:)` returns to, undoing what was written after it (`carryOut`).
    func savepoint(_ name: String) async throws
    func release(_ savepoint: String) async throws
    func rollback(to savepoint: String) async throws
}

/// The outbox and the audit log of the handler's open transaction.
struct PostgresEffects: TransactionEffects {
    let connection: PostgresConnection
    let logger: Logger

    func enqueue(_ messages: [OutgoingMessage]) async throws {
        try await Outbox.enqueue(messages, on: connection, logger: logger)
    }

    func audit(_ rows: [AuditLog.Row]) async throws {
        guard !rows.isEmpty else { return }
        var binds = StatementBinds()
        let sql = try AuditLog.insertAll(rows, binding: &binds)
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds.bindings), logger: logger)
    }

    func savepoint(_ name: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"), logger: logger)
    }

    func release(_ savepoint: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(savepoint)"), logger: logger)
    }

    func rollback(to savepoint: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(savepoint)"), logger: logger)
    }
}

/// Effects kept in memory, for a handler run without a database: what it would have published and audited.
/// A rollback to a savepoint forgets what was recorded after it, as PostgreSQL would.
public final class RecordedEffects: TransactionEffects {
    private struct State {
        var messages: [OutgoingMessage] = []
        var audit: [AuditLog.Row] = []
        var savepoints: [(name: String, messages: Int, audit: Int)] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func enqueue(_ messages: [OutgoingMessage]) async throws { state.withLock { $0.messages += messages } }

    public func audit(_ rows: [AuditLog.Row]) async throws { state.withLock { $0.audit += rows } }

    public func savepoint(_ name: String) async throws {
        state.withLock { $0.savepoints.append((name, $0.messages.count, $0.audit.count)) }
    }

    public func release(_ savepoint: String) async throws {
        state.withLock { state in
            if let index = state.savepoints.lastIndex(where: { $0.name == savepoint }) { state.savepoints.removeSubrange(index...) }
        }
    }

    public func rollback(to savepoint: String) async throws {
        state.withLock { state in
            guard let point = state.savepoints.last(where: { $0.name == savepoint }) else { return }
            state.messages.removeSubrange(point.messages...)
            state.audit.removeSubrange(point.audit...)
        }
    }

    /// Every message enqueued, in order.
    public var messages: [OutgoingMessage] { state.withLock { $0.messages } }

    /// The audit rows, in order.
    public var auditRows: [AuditLog.Row] { state.withLock { $0.audit } }

    /// The payloads of the events of type `E` enqueued, in order.
    public func events<E: Event>(_ type: E.Type) -> [E] {
        messages.filter { $0.type == E.messageType }.compactMap { try? StitchJSON.decode(Envelope<E>.self, from: $0.body).payload }
    }

    /// The payloads of the commands of type `C` sent to other services, in order.
    public func commands<C: Command>(_ type: C.Type) -> [C] {
        messages.filter { $0.type == C.messageType }.compactMap { try? StitchJSON.decode(Envelope<C>.self, from: $0.body).payload }
    }

    /// Forgets what was recorded (between the steps of a test).
    public func reset() { state.withLock { $0 = State() } }
}
