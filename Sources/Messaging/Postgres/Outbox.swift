import Foundation
import Logging
import PostgresNIO

/// Writes outgoing messages in the caller's transaction (DESIGN.md rule 4): they are published
/// by the relay only if, and after, the state change they describe commits.
public enum Outbox {
    public static func enqueue(_ messages: [OutgoingMessage], on connection: PostgresConnection, logger: Logger) async throws {
        for message in messages {
            let headers = String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self)
            let body = String(decoding: message.body, as: UTF8.self)
            try await connection.query("""
                INSERT INTO outbox (message_id, exchange, routing_key, message_type, correlation_id, headers, mandatory, body)
                VALUES (\(message.messageId), \(message.exchange), \(message.routingKey), \(message.type),
                        \(message.correlationId), \(headers)::jsonb, \(message.mandatory), \(body))
                """, logger: logger)
        }
    }
}
