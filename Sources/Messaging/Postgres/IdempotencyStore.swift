import Logging
import PostgresNIO

/// Stored outcomes of commands, keyed by a client's idempotency key (docs/architecture.md, rule 4), written in
/// the command's own transaction.
///
/// `record` the reply once the work is done: one write. It is false when the key was taken in the
/// meantime (the same command ran and committed first, or is committing): then the caller must roll
/// back its transaction and answer with `stored`. A repeat waits at the key for the first copy's commit.
public enum IdempotencyStore {
    /// Stores the key with its reply; false if the key is already taken (see above).
    public static func record(scope: String, key: String, reply: String, on connection: PostgresConnection,
                              logger: Logger) async throws -> Bool {
        var binds = StatementBinds()
        let sql = """
            INSERT INTO idempotency_keys (scope, key, reply) VALUES (\(try binds.bind(scope)), \(try binds.bind(key)), \(try binds.bind(reply)))
            ON CONFLICT DO NOTHING RETURNING 1
            """
        return try await !connection.prepared(sql, binds, logger: logger).isEmpty
    }

    /// Stores many keys with their replies in one statement (a batch's commands); returns the (scope, key)
    /// pairs that were already taken — each one means what a false `record` means.
    public static func recordAll(_ entries: [(scope: String, key: String, reply: String)], on connection: PostgresConnection,
                                 logger: Logger) async throws -> [(scope: String, key: String)] {
        guard !entries.isEmpty else { return [] }
        var binds = StatementBinds()
        let sql = """
            INSERT INTO idempotency_keys (scope, key, reply)
            SELECT * FROM unnest(\(try binds.bind(entries.map(\.scope)))::text[], \(try binds.bind(entries.map(\.key)))::text[],
                                 \(try binds.bind(entries.map(\.reply)))::text[])
            ON CONFLICT DO NOTHING RETURNING scope, key
            """
        var inserted = Set<String>()
        for row in try await connection.prepared(sql, binds, logger: logger) {
            let (scope, key) = try row.decode((String, String).self)
            inserted.insert(scope + "\u{0}" + key)
        }
        return entries.filter { !inserted.contains($0.scope + "\u{0}" + $0.key) }.map { ($0.scope, $0.key) }
    }

    /// The reply stored under the key, if any ("" for a key stored without a reply).
    public static func stored(scope: String, key: String, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        var binds = StatementBinds()
        let sql = "SELECT reply FROM idempotency_keys WHERE scope = \(try binds.bind(scope)) AND key = \(try binds.bind(key))"
        guard let row = try await connection.prepared(sql, binds, logger: logger).first else { return nil }
        return try row.decode(String?.self) ?? ""
    }
}
