import Foundation
import Logging
import PostgresNIO

/// Writes outgoing messages in the caller's transaction (docs/architecture.md, rule 2): they are published
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
    /// The INSERT of many messages' outbox rows as one statement whose text does not depend on how many
    /// (a JSON array of rows in one bind, read in order, so ids keep the messages' order): for a batch's
    /// writes (`CombinedWrite.publish(_:)`).
    public static func insertAll(_ messages: [OutgoingMessage], binding binds: inout StatementBinds) throws -> String {
        struct Row: Encodable {
            var message_id, exchange, routing_key: String
            var message_type, correlation_id: String?
            var headers: [String: String]
            var mandatory: Bool
            var body: String
        }
        let rows = messages.map {
            Row(
                message_id: $0.messageId, exchange: $0.exchange, routing_key: $0.routingKey, message_type: $0.type,
                correlation_id: $0.correlationId, headers: $0.headers, mandatory: $0.mandatory, body: String(decoding: $0.body, as: UTF8.self))
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        return """
            INSERT INTO outbox (message_id, exchange, routing_key, message_type, correlation_id, headers, mandatory, body)
            SELECT message_id, exchange, routing_key, message_type, correlation_id, headers, mandatory, body
            FROM jsonb_to_recordset(\(try binds.bind(json))::jsonb) AS r(message_id text, exchange text, routing_key text,
                 message_type text, correlation_id text, headers jsonb, mandatory boolean, body text)
            """
    }

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
