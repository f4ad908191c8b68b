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
}

/// Effects kept in memory, for a handler run without a database: what it would have published and audited.
public final class RecordedEffects: TransactionEffects {
    private let state = Mutex<(messages: [OutgoingMessage], audit: [AuditLog.Row])>(([], []))

    public init() {}

    public func enqueue(_ messages: [OutgoingMessage]) async throws { state.withLock { $0.messages += messages } }

    public func audit(_ rows: [AuditLog.Row]) async throws { state.withLock { $0.audit += rows } }

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
    public func reset() { state.withLock { $0 = ([], []) } }
}
