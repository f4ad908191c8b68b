import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Testing

/// The broker and database `./scripts/test` started. Without them the integration tests fail
/// with this message — they never pass silently.
enum TestEnvironment {
    struct Missing: Error, CustomStringConvertible {
        let variable: String
        var description: String {
            "\(variable) is not set: integration tests need the RabbitMQ node and PostgreSQL cluster that ./scripts/test starts. Run ./scripts/test (arguments go to swift test, e.g. ./scripts/test --filter Outbox)."
        }
    }

    static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Missing(variable: name) }
        return value
    }

    static func amqpURL() throws -> String { try value("STITCH_TEST_AMQP_URL") }
    static func faultAMQPURL() throws -> String { try value("STITCH_TEST_FAULT_AMQP_URL") }
    static func databaseURL() throws -> String { try value("STITCH_TEST_DATABASE_URL") }

    static let logger: Logger = {
        var logger = Logger(label: "stitch.test")
        logger.logLevel = ProcessInfo.processInfo.environment["STITCH_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    /// Stops, starts or restarts the fault-test broker node like an operator would.
    static func faultBroker(_ action: String) async throws {
        let template = try value("STITCH_TEST_FAULT_BROKER_CTL")
        let status = try await runShell(template.replacingOccurrences(of: "%s", with: action))
        guard status == 0 else { throw TestFailure("broker-ctl \(action) exited with \(status)") }
    }

    /// Runs a shell command and waits for it without blocking a cooperative thread (Foundation's
    /// `Process.waitUntilExit` was seen to hang here when the command leaves a daemon behind).
    static func runShell(_ command: String) async throws -> Int32 {
        var pid: pid_t = 0
        let arguments = ["/bin/bash", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot run \(command): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        return (status >> 8) & 0xff
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A unique name so tests running side by side on one broker and database never meet.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
}

/// A fresh schema for one test, a running `PostgresClient` whose connections use it, dropped afterwards.
func withTestDatabase<T: Sendable>(
    migrations: [SQLMigration] = [], poolSize: Int = 10,
    _ body: @Sendable (PostgresClient, String) async throws -> T
) async throws -> T {
    let schema = uniqueName("t")
    let url = try TestEnvironment.databaseURL()
    let admin = try DatabaseConfiguration(url: url, schema: "public", poolSize: 2)
    try await withClient(admin) { client in
        try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: TestEnvironment.logger)
    }
    do {
        let result = try await withClient(try DatabaseConfiguration(url: url, schema: schema, poolSize: poolSize)) { client in
            try await Migrator(schema: schema, migrations: migrations, logger: TestEnvironment.logger).migrate(client)
            return try await body(client, schema)
        }
        try? await dropSchema(schema, admin: admin)
        return result
    } catch {
        try? await dropSchema(schema, admin: admin)
        throw error
    }
}

private func dropSchema(_ schema: String, admin: DatabaseConfiguration) async throws {
    try await withClient(admin) { client in
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: TestEnvironment.logger)
    }
}

/// Runs a `PostgresClient` for the duration of `body`.
@discardableResult
func withClient<T: Sendable>(_ configuration: DatabaseConfiguration, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
    let client = PostgresClient(configuration: configuration.clientConfiguration(), backgroundLogger: TestEnvironment.logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// An AMQP bus for the duration of `body`, shut down afterwards.
func withBus<T: Sendable>(url: String? = nil, name: String = "test", _ body: @Sendable (AMQPMessageBus) async throws -> T) async throws -> T {
    let bus = try AMQPMessageBus(url: try url ?? TestEnvironment.amqpURL(), name: uniqueName(name), logger: TestEnvironment.logger)
    do {
        let result = try await body(bus)
        await bus.shutdown()
        return result
    } catch {
        await bus.shutdown()
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

extension PostgresClient {
    func count(_ sql: String) async throws -> Int {
        let rows = try await query(PostgresQuery(unsafeSQL: sql), logger: TestEnvironment.logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }
}
