import ArgumentParser
import Contracts
import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Warehouse

/// `./scripts/bench warehouse`: the gateway and Warehouse in this process on a throwaway broker and
/// database. The ledger is seeded with SQL (items × locations, movements with their balances), then
/// movements are posted over HTTP by concurrent clients, and the balance query and a journal page are
/// timed; the ledger is verified against the balances at the end.
struct WarehouseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "warehouse")

    @Option(help: "The broker") var amqpURL: String
    @Option(help: "The database (a role that may create schemas)") var databaseURL: String
    @Option(help: "Items") var items = 2_000
    @Option(help: "Locations") var locations = 20
    @Option(help: "Movements seeded with SQL") var movements = 1_000_000
    @Option(help: "Movements posted over HTTP") var posts = 5_000
    @Option(help: "Concurrent HTTP clients posting") var clients = 16
    @Option(help: "Reads of each query") var reads = 300
    @Option(help: "The gateway's port in this process") var httpPort = 8098

    func run() async throws {
        var logger = Logger(label: "stitch.bench")
        logger.logLevel = .warning
        try await InProcessStack.run(
            amqpURL: amqpURL, databaseURL: databaseURL, httpPort: httpPort,
            definitions: [WarehouseService.definition(environment: .trustingUnsigned)], prefetch: 64, logger: logger
        ) { databases, _ in
            try await measure(databases["warehouse"]!, logger: logger)
        }
    }

    private func measure(_ database: PostgresClient, logger: Logger) async throws {
        let api = API(base: "http://127.0.0.1:\(httpPort)")
        let manager = try await api.signIn("wh_manager", "whmgr-dev-123", probe: "/api/v1/inventory/locations")
        print("Warehouse with \(items) items × \(locations) locations and \(movements) movements (seeded with SQL)")

        let seeding = ContinuousClock.now
        try await seed(database, logger: logger)
        report("seeding the ledger and balances", String(format: "%8.1f s", seeding.duration(to: .now).seconds))

        // Posting: receipts and transfers spread over the items, from `clients` clients at once.
        let perClient = max(1, posts / clients)
        let start = ContinuousClock.now
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var failed = 0
                    for i in 0..<perClient {
                        let n = c * perClient + i
                        let item = "BENCH-\(n % items)"
                        let from = "LOC-\(n % locations)"
                        let to = "LOC-\((n + 1) % locations)"
                        let body: [String: Any] =
                            n % 2 == 0
                            ? ["type": "RECEIPT", "item_code": item, "qty": 5, "to_location": from, "reference": "BENCH"]
                            : ["type": "TRANSFER", "item_code": item, "qty": 1, "from_location": from, "to_location": to]
                        if try await api.call("POST", "/api/v1/inventory/movements", token: manager, json: body).status != 201 { failed += 1 }
                    }
                    return failed
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = start.duration(to: .now)
        report(
            "posted over HTTP: \(perClient * clients) by \(clients) clients, \(failures) refused",
            String(format: "%8.0f /s", Double(perClient * clients) / max(elapsed.seconds, 1e-9)))

        for (label, path) in [
            ("balance of one item at one location", "/api/v1/inventory/balances?item=BENCH-7&location=LOC-3"),
            ("balances of one item (all locations)", "/api/v1/inventory/balances?item=BENCH-7"),
            ("journal page 1 (50, newest first)", "/api/v1/inventory/movements"),
            ("journal page 1 of one item", "/api/v1/inventory/movements?item=BENCH-11"),
            ("journal page 1 of one location and type", "/api/v1/inventory/movements?location=LOC-5&type=TRANSFER"),
        ] {
            try await api.reportReads(label, path, token: manager, times: reads)
        }
        let verifying = ContinuousClock.now
        let (checked, differences) = try await LedgerVerification.differences(database, logger: logger)
        report("verify: \(checked) balances, \(differences.count) differ", String(format: "%8.1f s", verifying.duration(to: .now).seconds))
    }

    /// Locations and items, then movements: one opening receipt per item × location and the rest
    /// transfers between neighbouring locations; balances computed from them.
    private func seed(_ client: PostgresClient, logger: Logger) async throws {
        for sql in [
            """
            INSERT INTO warehouse.locations (id, code, name, type)
            SELECT gen_random_uuid(), 'LOC-' || n, 'Bench location ' || n, 'RAW_MATERIAL' FROM generate_series(0, \(locations - 1)) n
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO warehouse.items (code, kind, name, unit, standard_cost, version)
            SELECT 'BENCH-' || n, 'MATERIAL', 'Bench item ' || n, 'PCS', 100 + n % 900, 1 FROM generate_series(0, \(items - 1)) n
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO warehouse.movements (id, type, item_code, qty, from_location, to_location, reference, unit_cost, actor_id, actor_name,
                                             occurred_at)
            SELECT gen_random_uuid(), CASE WHEN n < \(items * locations) THEN 'RECEIPT' ELSE 'TRANSFER' END,
                   'BENCH-' || (n % \(items)),
                   CASE WHEN n < \(items * locations) THEN 1000 ELSE 1 + n % 3 END,
                   CASE WHEN n < \(items * locations) THEN NULL ELSE 'LOC-' || ((n / \(items)) % \(locations)) END,
                   CASE WHEN n < \(items * locations) THEN 'LOC-' || ((n / \(items)) % \(locations))
                        ELSE 'LOC-' || ((n / \(items) + 1) % \(locations)) END,
                   'SEED-' || (n % 1000), 100, 'bench', 'bench', now() - make_interval(secs => \(movements) - n)
            FROM generate_series(0, \(movements - 1)) n
            """,
            """
            INSERT INTO warehouse.balances (item_code, location, qty)
            SELECT item_code, location, sum(delta) FROM (
                SELECT item_code, to_location AS location, qty AS delta FROM warehouse.movements WHERE to_location IS NOT NULL
                UNION ALL SELECT item_code, from_location, -qty FROM warehouse.movements WHERE from_location IS NOT NULL) m
            GROUP BY item_code, location
            ON CONFLICT (item_code, location) DO UPDATE SET qty = EXCLUDED.qty
            """,
            "ANALYZE warehouse.movements",
            "ANALYZE warehouse.balances",
        ] {
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}
