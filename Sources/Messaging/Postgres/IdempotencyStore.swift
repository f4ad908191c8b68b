import Logging
import PostgresNIO

/// Stored outcomes of commands, keyed by a client's idempotency key or the message id (docs/architecture.md,
/// rule 4), written in the command's own transaction. One way to use it, for one command or a batch:
/// `claim` the keys first — a key another copy holds waits there for that copy's commit and comes back taken,
/// so its `stored` reply is answered and nothing runs twice — then `complete` the keys whose commands ran with
/// their replies and `release` those whose commands were refused (a refusal frees its key for a corrected retry).
public enum IdempotencyStore {
    /// A command's place in the store.
    public struct Key: Hashable, Sendable {
        public var scope: String
        public var key: String

        public init(scope: String, key: String) {
            self.scope = scope
            self.key = key
        }
    }

    /// Claims `keys` in one statement; returns those claimed now. One not returned was taken by a copy that
    /// committed first (read its reply with `stored`), or is named twice in `keys`.
    public static func claim(_ keys: [Key], on connection: PostgresConnection, logger: Logger) async throws -> Set<Key> {
        guard !keys.isEmpty else { return [] }
        var binds = StatementBinds()
        let sql = """
            INSERT INTO idempotency_keys (scope, key)
            SELECT * FROM unnest(\(try binds.bind(keys.map(\.scope)))::text[], \(try binds.bind(keys.map(\.key)))::text[])
            ON CONFLICT DO NOTHING RETURNING scope, key
            """
        var claimed = Set<Key>()
        for row in try await connection.prepared(sql, binds, logger: logger) {
            let (scope, key) = try row.decode((String, String).self)
            claimed.insert(Key(scope: scope, key: key))
        }
        return claimed
    }

    /// Writes the replies of claimed keys whose commands ran, in one statement.
    public static func complete(_ replies: [(key: Key, reply: String)], on connection: PostgresConnection, logger: Logger) async throws {
        guard !replies.isEmpty else { return }
        var binds = StatementBinds()
        let sql = """
            UPDATE idempotency_keys AS k SET reply = r.reply
            FROM unnest(\(try binds.bind(replies.map(\.key.scope)))::text[], \(try binds.bind(replies.map(\.key.key)))::text[],
                        \(try binds.bind(replies.map(\.reply)))::text[]) AS r(scope, key, reply)
            WHERE k.scope = r.scope AND k.key = r.key
            """
        _ = try await connection.prepared(sql, binds, logger: logger)
    }

    /// Frees claimed keys whose commands were refused, in one statement.
    public static func release(_ keys: [Key], on connection: PostgresConnection, logger: Logger) async throws {
        guard !keys.isEmpty else { return }
        var binds = StatementBinds()
        let sql = """
            DELETE FROM idempotency_keys AS k
            USING unnest(\(try binds.bind(keys.map(\.scope)))::text[], \(try binds.bind(keys.map(\.key)))::text[]) AS r(scope, key)
            WHERE k.scope = r.scope AND k.key = r.key
            """
        _ = try await connection.prepared(sql, binds, logger: logger)
    }

    /// Stores many keys with their replies in one statement (for a domain's own keys, such as daily input's
    /// `client_entry_id`); returns the keys that were already taken.
    public static func recordAll(
        _ entries: [(scope: String, key: String, reply: String)], on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [(scope: String, key: String)] {
        guard !entries.isEmpty else { return [] }
        var binds = StatementBinds()
        let sql = """
            INSERT INTO idempotency_keys (scope, key, reply)
            SELECT * FROM unnest(\(try binds.bind(entries.map(\.scope)))::text[], \(try binds.bind(entries.map(\.key)))::text[],
                                 \(try binds.bind(entries.map(\.reply)))::text[])
            ON CONFLICT DO NOTHING RETURNING scope, key
            """
        var inserted = Set<Key>()
        for row in try await connection.prepared(sql, binds, logger: logger) {
            let (scope, key) = try row.decode((String, String).self)
            inserted.insert(Key(scope: scope, key: key))
        }
        return entries.filter { !inserted.contains(Key(scope: $0.scope, key: $0.key)) }.map { ($0.scope, $0.key) }
    }

    /// The replies stored under `keys` ("" for a key claimed without a reply yet), in one statement.
    public static func stored(_ keys: [Key], on connection: PostgresConnection, logger: Logger) async throws -> [Key: String] {
        guard !keys.isEmpty else { return [:] }
        var binds = StatementBinds()
        let sql = """
            SELECT k.scope, k.key, k.reply FROM idempotency_keys AS k
            JOIN unnest(\(try binds.bind(keys.map(\.scope)))::text[], \(try binds.bind(keys.map(\.key)))::text[]) AS r(scope, key)
              ON k.scope = r.scope AND k.key = r.key
            """
        var replies: [Key: String] = [:]
        for row in try await connection.prepared(sql, binds, logger: logger) {
            let (scope, key, reply) = try row.decode((String, String, String?).self)
            replies[Key(scope: scope, key: key)] = reply ?? ""
        }
        return replies
    }

    /// The reply stored under one key, if any ("" for a key claimed without a reply yet).
    public static func stored(scope: String, key: String, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let key = Key(scope: scope, key: key)
        return try await stored([key], on: connection, logger: logger)[key]
    }
}
