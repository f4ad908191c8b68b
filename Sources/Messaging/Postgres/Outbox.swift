import Foundation
import Logging
import PostgresNIO

/// Writes outgoing messages in the caller's transaction (DESIGN.md rule 4): they are published
/// by the relay only if, and after, the state change they describe commits.
public enum Outbox {
    public static func enqueue(_ messages: [OutgoingMessage], on connection: PostgresConnection, logger: Logger) async throws {
        for message in messages {
            var binds = StatementBinds()
            let sql = try insert(message, binding: &binds)
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds.bindings), logger: logger)
        }
    }

    /// The INSERT of one message's outbox row, its values bound into `binds`: `enqueue` runs it alone,
    /// `CombinedWrite` as one part of a handler's single statement.
    public static func insert(_ message: OutgoingMessage, binding binds: inout StatementBinds) throws -> String {
        let headers = String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self)
        return """
            INSERT INTO outbox (message_id, exchange, routing_key, message_type, correlation_id, headers, mandatory, body)
            VALUES (\(try binds.bind(message.messageId)), \(try binds.bind(message.exchange)), \(try binds.bind(message.routingKey)),
                    \(try binds.bind(message.type)), \(try binds.bind(message.correlationId)), \(try binds.bind(headers))::jsonb,
                    \(try binds.bind(message.mandatory)), \(try binds.bind(String(decoding: message.body, as: UTF8.self))))
            """
    }
}
