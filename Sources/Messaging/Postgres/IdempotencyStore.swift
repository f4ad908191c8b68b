import Logging
import PostgresNIO

/// Stored outcomes of commands, keyed by a client's idempotency key (DESIGN.md rule 6). Used inside
/// the command's transaction: `reserve` either takes the key (nil: go ahead) or returns the reply
/// the first execution stored. Two identical commands at once serialise on the key: the second
/// waits for the first to commit and then gets its reply; if the first rolls back, the second runs.
public enum IdempotencyStore {
    public static func reserve(scope: String, key: String, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let inserted = try await connection.query("""
            INSERT INTO idempotency_keys (scope, key) VALUES (\(scope), \(key)) ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        for try await _ in inserted { return nil }
        let stored = try await connection.query("""
            SELECT reply FROM idempotency_keys WHERE scope = \(scope) AND key = \(key)
            """, logger: logger)
        for try await reply in stored.decode(String?.self) { return reply ?? "" }
        return ""
    }

    public static func complete(scope: String, key: String, reply: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE idempotency_keys SET reply = \(reply) WHERE scope = \(scope) AND key = \(key)
            """, logger: logger)
    }
}
