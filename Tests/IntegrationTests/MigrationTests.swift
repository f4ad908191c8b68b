import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing

@Suite("Schema migrations")
struct MigrationIntegrationTests {
    static let migrations = [
        SQLMigration(
            id: "001-marks",
            sql: """
                CREATE TABLE marks (id serial PRIMARY KEY, note text NOT NULL);
                INSERT INTO marks (note) VALUES ('applied; once');
                """),
        SQLMigration(
            id: "002-function",
            sql: """
                -- a body with semicolons must stay one statement
                CREATE FUNCTION mark(note text) RETURNS void LANGUAGE plpgsql AS $body$
                BEGIN
                    INSERT INTO marks (note) VALUES (note);
                END;
                $body$;
                SELECT mark('from 002');
                """),
    ]

    @Test("eight instances starting at once apply each migration exactly once")
    func concurrentStartAppliesOnce() async throws {
        try await withTestDatabase(poolSize: 10) { client, schema in
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await Migrator(schema: schema, migrations: Self.migrations, logger: TestEnvironment.logger).migrate(client)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.sorted() == ["001-marks", "002-function"])
            #expect(try await client.count("SELECT count(*) FROM marks") == 2)
            #expect(try await client.count("SELECT count(*) FROM schema_migrations WHERE id IN ('001-marks', '002-function')") == 2)
            // A later start finds nothing to do.
            #expect(try await Migrator(schema: schema, migrations: Self.migrations, logger: TestEnvironment.logger).migrate(client).isEmpty)
        }
    }

    @Test("a migration edited after it was applied is refused")
    func editedMigrationIsRefused() async throws {
        try await withTestDatabase(migrations: Self.migrations) { client, schema in
            var edited = Self.migrations
            edited[0].sql += "\nINSERT INTO marks (note) VALUES ('sneaky');"
            await #expect(throws: ConfigurationError.self) {
                try await Migrator(schema: schema, migrations: edited, logger: TestEnvironment.logger).migrate(client)
            }
            let marks = try await client.count("SELECT count(*) FROM marks")
            #expect(marks == 2)
        }
    }
}
