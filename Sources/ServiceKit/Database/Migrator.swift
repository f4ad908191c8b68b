import Foundation
import Logging
import Messaging
import PostgresNIO

/// Applies versioned migrations to one schema at start-up. Several instances may start at once:
/// they serialise on an advisory lock keyed by the schema, and each migration is recorded with a
/// checksum in `schema_migrations` in the same transaction as its effect — applied exactly once.
/// A recorded migration whose text changed is refused (migrations are append-only).
public struct Migrator: Sendable {
    public let schema: String
    public let migrations: [SQLMigration]
    let logger: Logger

    /// `migrations`: the service's own; the platform's outbox/inbox tables come first.
    public init(schema: String, migrations: [SQLMigration], includePlatform: Bool = true, logger: Logger) {
        self.schema = schema
        self.migrations = (includePlatform ? PlatformMigrations.all : []) + migrations
        self.logger = logger
    }

    /// Loads `NNN-name.sql` files from a folder (a service's `Migrations` resource), ordered by name.
    public static func load(from directory: URL) throws -> [SQLMigration] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map {
            SQLMigration(
                id: $0.deletingPathExtension().lastPathComponent,
                sql: try String(contentsOf: $0, encoding: .utf8))
        }
    }

    /// Returns the ids it applied (empty when the schema was up to date).
    @discardableResult
    public func migrate(_ client: PostgresClient) async throws -> [String] {
        let migrator = self
        let logger = self.logger
        let schema = self.schema
        // Bounded like all database work (a restart mid-migration must not hang the start-up).
        return try await client.connection(deadline: .seconds(600)) { connection in
            let lockKey = "stitch.migrations.\(schema)"
            try await connection.query("SELECT pg_advisory_lock(hashtext(\(lockKey)))", logger: logger)
            do {
                let applied = try await migrator.apply(on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                throw error
            }
        }
    }

    private func apply(on connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var recorded: [String: String] = [:]
        let rows = try await connection.query("SELECT id, checksum FROM schema_migrations", logger: logger)
        for try await (id, checksum) in rows.decode((String, String).self) { recorded[id] = checksum }

        var applied: [String] = []
        for migration in migrations {
            let checksum = Self.checksum(migration.sql)
            if let existing = recorded[migration.id] {
                guard existing == checksum else {
                    throw ConfigurationError(
                        "migration \(migration.id) in schema \(schema) was changed after it was applied; add a new migration instead")
                }
                continue
            }
            let logger = self.logger
            try await connection.withTransaction(logger: logger) { connection in
                for statement in SQLScript.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (id, checksum) VALUES (\(migration.id), \(checksum))", logger: logger)
            }
            logger.info("applied migration \(migration.id) to schema \(schema)")
            applied.append(migration.id)
        }
        return applied
    }

    /// FNV-1a over the text: enough to notice an edited migration.
    static func checksum(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
