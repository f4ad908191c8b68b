import Contracts
import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Services and the gateway in this process on a throwaway broker and database, each on its own
/// connections and schema as in production: what the ppic and warehouse benches measure against.
enum InProcessStack {
    /// Runs `definitions` and a development gateway on `httpPort` while `body` measures; `extraBuses`
    /// are broker connections of the bench's own. `body` gets every database client by schema and
    /// every bus by name.
    static func run(
        amqpURL: String, databaseURL: String, httpPort: Int, definitions: [ServiceDefinition], extraBuses: [String] = [],
        prefetch: Int = 32, logger: Logger,
        _ body: (_ databases: [String: PostgresClient], _ buses: [String: AMQPMessageBus]) async throws -> Void
    ) async throws {
        let services = ["gateway"] + definitions.map(\.name)
        var databases: [String: PostgresClient] = [:]
        var buses: [String: AMQPMessageBus] = [:]
        for name in services + extraBuses { buses[name] = try AMQPMessageBus(url: amqpURL, name: "bench-\(name)", logger: logger) }
        for name in services {
            databases[name] = PostgresClient(
                configuration: try DatabaseConfiguration(url: databaseURL, schema: name).clientConfiguration(),
                backgroundLogger: logger)
        }
        let settings = try GatewaySettings(
            environment: EnvironmentReader([
                "STITCH_ENV": "development", "STITCH_BCRYPT_COST": "4", "STITCH_SEED_DEMO": "true",
            ]))
        let runtimes = definitions.map {
            ServiceRuntime(definition: $0, client: databases[$0.name]!, bus: buses[$0.name]!, prefetch: prefetch, logger: logger)
        }
        let seeded = databases
        let connected = buses
        // Clients outlive the services (as in the test stack): a service stopping still flushes its outbox.
        try await withThrowingTaskGroup(of: Void.self) { clientsGroup in
            for client in seeded.values { clientsGroup.addTask { await client.run() } }
            defer { clientsGroup.cancelAll() }
            for schema in services {
                try await seeded["gateway"]!.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            try await GatewayApp.prepare(settings: settings, client: seeded["gateway"]!, logger: logger)
            let router = try await GatewayApp.buildRouter(
                settings: settings, client: seeded["gateway"]!, bus: connected["gateway"]!,
                logger: logger)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: httpPort)), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for runtime in runtimes { group.addTask { try await runtime.run() } }
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                defer { group.cancelAll() }
                try await body(seeded, connected)
            }
        }
        for bus in buses.values { await bus.shutdown() }
    }
}

extension API {
    /// Signs `username` in once the stack answers `probe` for them (services start in their own time).
    func signIn(_ username: String, _ password: String, probe: String) async throws -> String {
        for _ in 0..<240 {
            if let token = try? await login(username, password), (try? await call("GET", probe, token: token))?.status == 200 { return token }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw BenchFailure("the in-process stack did not start")
    }

    /// GETs `path` `times` times and reports its p50 and p99; anything but 200 ends the bench.
    func reportReads(_ label: String, _ path: String, token: String, times: Int) async throws {
        var latencies = Latencies()
        for _ in 0..<times {
            let start = ContinuousClock.now
            let reply = try await call("GET", path, token: token)
            guard reply.status == 200 else { throw BenchFailure("\(path): \(reply.status) \(String(describing: reply.json))") }
            latencies.record(start.duration(to: .now))
        }
        report("\(label) p50", latencies.percentile(0.5).milliseconds)
        report("\(label) p99", latencies.percentile(0.99).milliseconds)
    }
}
