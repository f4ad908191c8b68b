import Logging
import PostgresNIO

/// De-duplicates deliveries (at-least-once in, exactly-once effect): a consumer claims a message id
/// in the same transaction as its effect. A second delivery of the same message finds it claimed;
/// two at the same moment serialise on the primary key, and the loser sees the winner's commit.
public enum Inbox {
    /// True when this is the first time `consumer` sees `messageId`; false for a duplicate.
    public static func claim(
        _ messageId: String, consumer: String, type: String?, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO inbox (consumer, message_id, message_type) VALUES (\(consumer), \(messageId), \(type))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Claims a batch of messages in one statement; returns the ids seen for the first time (the
    /// others are duplicates, to be acked without effect).
    public static func claim(
        _ messages: [(id: String, type: String?)], consumer: String, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Set<String> {
        guard !messages.isEmpty else { return [] }
        var binds = StatementBinds()
        let sql = """
            INSERT INTO inbox (consumer, message_id, message_type)
            SELECT \(try binds.bind(consumer)), m.id, NULLIF(m.type, '')
            FROM unnest(\(try binds.bind(messages.map(\.id)))::text[], \(try binds.bind(messages.map { $0.type ?? "" }))::text[]) AS m(id, type)
            ON CONFLICT DO NOTHING RETURNING message_id
            """
        let rows = try await connection.prepared(sql, binds, logger: logger)
        var fresh = Set<String>()
        for row in rows { fresh.insert(try row.decode(String.self)) }
        return fresh
    }
}
