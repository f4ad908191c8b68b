import ArgumentParser
import Contracts
import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import PPIC
import PostgresNIO
import Production
import ServiceKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `./scripts/bench ppic`: Production, PPIC and the gateway in this process on a throwaway broker and
/// database; Production's tables seeded with SQL (SPKs and daily entries), PPIC rebuilt from them over
/// request/reply, then the planners' reads measured over HTTP.
struct PPICBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ppic")

    @Option(help: "The broker") var amqpURL: String
    @Option(help: "The database (a role that may create schemas)") var databaseURL: String
    @Option(help: "SPKs to seed") var spks = 10_000
    @Option(help: "Daily entries to seed") var entries = 1_000_000
    @Option(help: "Reads of each report") var reads = 300
    @Option(help: "The gateway's port in this process") var httpPort = 8097

    func run() async throws {
        var logger = Logger(label: "stitch.bench")
        logger.logLevel = .warning
        let services = ["gateway", "production", "ppic"]
        var clients: [String: PostgresClient] = [:]
        var buses: [String: AMQPMessageBus] = [:]
        for name in services + ["rebuild"] {
            buses[name] = try AMQPMessageBus(url: amqpURL, name: "bench-\(name)", logger: logger)
        }
        for name in services {
            clients[name] = PostgresClient(configuration: try DatabaseConfiguration(url: databaseURL, schema: name).clientConfiguration(),
                                           backgroundLogger: logger)
        }
        let settings = try GatewaySettings(environment: EnvironmentReader([
            "STITCH_ENV": "development", "STITCH_BCRYPT_COST": "4", "STITCH_SEED_DEMO": "true",
        ]))
        ActorVerifier.install(.trustingUnsigned)  // a development gateway in this process sends actors unsigned
        let runtimes = [
            ServiceRuntime(definition: ProductionService.definition(), client: clients["production"]!, bus: buses["production"]!,
                           logger: logger),
            ServiceRuntime(definition: PPICService.definition(), client: clients["ppic"]!, bus: buses["ppic"]!, logger: logger),
        ]
        let seeded = clients
        let gatewayBus = buses["gateway"]!, rebuildBus = buses["rebuild"]!
        // Clients outlive the services (as in the test stack): a service stopping still flushes its outbox.
        try await withThrowingTaskGroup(of: Void.self) { clientsGroup in
            for client in clients.values { clientsGroup.addTask { await client.run() } }
            defer { clientsGroup.cancelAll() }
            for schema in services {
                try await seeded["gateway"]!.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            try await GatewayApp.prepare(settings: settings, client: seeded["gateway"]!, logger: logger)
            let router = try await GatewayApp.buildRouter(settings: settings, client: seeded["gateway"]!, bus: gatewayBus, logger: logger)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: httpPort)), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for runtime in runtimes { group.addTask { try await runtime.run() } }
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                defer { group.cancelAll() }
                try await measure(production: seeded["production"]!, ppic: seeded["ppic"]!, bus: rebuildBus, logger: logger)
            }
        }
        for bus in buses.values { await bus.shutdown() }
    }

    private func measure(production: PostgresClient, ppic: PostgresClient, bus: any MessageBus, logger: Logger) async throws {
        let api = API(base: "http://127.0.0.1:\(httpPort)")
        var planner: String?
        for _ in 0..<240 where planner == nil {
            planner = try? await api.login("ppic", "ppic-dev-123")
            if let token = planner, (try? await api.call("GET", "/api/v1/ppic/dashboard", token: token))?.status != 200 { planner = nil }
            if planner == nil { try await Task.sleep(for: .milliseconds(500)) }
        }
        let token = try planner.orThrow("the in-process stack did not start")
        print("PPIC with \(spks) SPKs and \(entries) daily entries (seeded into Production with SQL)")

        let seeding = ContinuousClock.now
        try await seed(production, logger: logger)
        report("seeding Production's tables", String(format: "%8.1f s", seeding.duration(to: .now).seconds))

        let outcome = try await PPICRebuild.run(client: ppic, bus: bus, logger: logger)
        report("stitch-ppic rebuild (export, copy, judge every SPK)", String(format: "%8.1f s", outcome.duration.seconds))
        let judged = try await ppic.query("SELECT count(*)::int FROM spk_view WHERE health IS NOT NULL", logger: logger)
        for try await count in judged.decode(Int.self) { print("  (\(outcome.spks) SPKs, \(outcome.entries) entries, \(count) judged)") }

        for (label, path) in [
            ("dashboard", "/api/v1/ppic/dashboard"),
            ("on-track-status (page 1 of 50)", "/api/v1/ppic/reports/on-track-status"),
            ("on-track-status ?stage=SEWING&health=AT_RISK", "/api/v1/ppic/reports/on-track-status?stage=SEWING&health=AT_RISK"),
            ("alerts (limit 100)", "/api/v1/ppic/alerts"),
            ("daily-summary (today)", "/api/v1/ppic/reports/daily-summary"),
        ] {
            var latencies = Latencies()
            for _ in 0..<reads {
                let start = ContinuousClock.now
                let reply = try await api.call("GET", path, token: token)
                guard reply.status == 200 else { throw BenchFailure("\(path): \(reply.status) \(String(describing: reply.json))") }
                latencies.record(start.duration(to: .now))
            }
            report("\(label) p50", latencies.percentile(0.5).milliseconds)
            report("\(label) p99", latencies.percentile(0.99).milliseconds)
        }
    }

    /// SPKs over the last 60 days in every stage and state, entries spread over their windows up to
    /// today; totals made to match the entries, as Production keeps them.
    private func seed(_ client: PostgresClient, logger: Logger) async throws {
        try await client.query(PostgresQuery(unsafeSQL: """
            INSERT INTO production.spks (id, code, article_code, stage, department, original_qty, target_qty, status,
                                         start_date, due_date, created_by)
            SELECT md5('bench-spk-' || n)::uuid, 'SPK-BENCH-' || lpad(n::text, 6, '0'), 'BENCH-' || (n % 50),
                   stage, stage, 1000 + n % 4000, 1000 + n % 4000,
                   CASE WHEN n % 20 = 0 THEN 'CANCELLED' WHEN n % 5 = 0 THEN 'COMPLETED' WHEN n % 31 = 0 THEN 'ON_HOLD'
                        ELSE 'IN_PROGRESS' END,
                   current_date - (n % 60), current_date - (n % 60) + 10 + n % 25, 'bench'
            FROM generate_series(0, \(spks - 1)) AS n,
                 LATERAL (SELECT (ARRAY['CUTTING','EMBROIDERY','SEWING','FINISHING','PACKING'])[1 + n % 5] AS stage) s
            """), logger: logger)
        try await client.query(PostgresQuery(unsafeSQL: """
            INSERT INTO production.daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, recorded_by)
            SELECT gen_random_uuid(), md5('bench-spk-' || (i % \(spks)))::uuid,
                   LEAST(current_date, current_date - ((i % \(spks)) % 60) + (i / \(spks)) % 35), 1 + i % 40, (i % 7) / 5, 'NONE', 'bench'
            FROM generate_series(0, \(entries - 1)) AS i
            """), logger: logger)
        try await client.query(PostgresQuery(unsafeSQL: """
            UPDATE production.spks s SET produced_qty = e.qty, reject_qty = e.rejects
            FROM (SELECT spk_id, sum(qty)::int AS qty, sum(reject_qty)::int AS rejects FROM production.daily_inputs GROUP BY spk_id) e
            WHERE s.id = e.spk_id
            """), logger: logger)
        try await client.query("ANALYZE production.spks", logger: logger)
        try await client.query("ANALYZE production.daily_inputs", logger: logger)
    }
}
