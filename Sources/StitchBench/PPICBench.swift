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
        try await InProcessStack.run(
            amqpURL: amqpURL, databaseURL: databaseURL, httpPort: httpPort,
            definitions: [ProductionService.definition(environment: .trustingUnsigned), PPICService.definition(environment: .trustingUnsigned)],
            extraBuses: ["rebuild"],
            logger: logger
        ) { databases, buses in
            try await measure(production: databases["production"]!, ppic: databases["ppic"]!, bus: buses["rebuild"]!, logger: logger)
        }
    }

    private func measure(production: PostgresClient, ppic: PostgresClient, bus: any MessageBus, logger: Logger) async throws {
        let api = API(base: "http://127.0.0.1:\(httpPort)")
        let token = try await api.signIn("ppic", "ppic-dev-123", probe: "/api/v1/ppic/dashboard")
        print("PPIC with \(spks) SPKs and \(entries) daily entries (seeded into Production with SQL)")

        let seeding = ContinuousClock.now
        try await seed(production, logger: logger)
        report("seeding Production's tables", String(format: "%8.1f s", seeding.duration(to: .now).seconds))

        let outcome = try await PPICRebuild.run(client: ppic, bus: bus, logger: logger)
        report("stitch-ppic rebuild (export, copy, judge every SPK)", String(format: "%8.1f s", outcome.duration.seconds))
        let judged = try await ppic.query("SELECT count(*)::bigint FROM spk_view WHERE health IS NOT NULL", logger: logger)
        for try await count in judged.decode(Int.self) { print("  (\(outcome.spks) SPKs, \(outcome.entries) entries, \(count) judged)") }

        for (label, path) in [
            ("dashboard", "/api/v1/ppic/dashboard"),
            ("on-track-status (page 1 of 50)", "/api/v1/ppic/reports/on-track-status"),
            ("on-track-status ?stage=SEWING&health=AT_RISK", "/api/v1/ppic/reports/on-track-status?stage=SEWING&health=AT_RISK"),
            ("alerts (limit 100)", "/api/v1/ppic/alerts"),
            ("daily-summary (today)", "/api/v1/ppic/reports/daily-summary"),
        ] {
            try await api.reportReads(label, path, token: token, times: reads)
        }
    }

    /// SPKs over the last 60 days in every stage and state, entries spread over their windows up to
    /// today; totals made to match the entries, as Production keeps them.
    private func seed(_ client: PostgresClient, logger: Logger) async throws {
        try await client.query(
            PostgresQuery(
                unsafeSQL: """
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
        try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO production.daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, recorded_by)
                    SELECT gen_random_uuid(), md5('bench-spk-' || (i % \(spks)))::uuid,
                           LEAST(current_date, current_date - ((i % \(spks)) % 60) + (i / \(spks)) % 35), 1 + i % 40, (i % 7) / 5, 'NONE', 'bench'
                    FROM generate_series(0, \(entries - 1)) AS i
                    """), logger: logger)
        try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE production.spks s SET produced_qty = e.qty, reject_qty = e.rejects
                    FROM (SELECT spk_id, sum(qty)::bigint AS qty, sum(reject_qty)::bigint AS rejects FROM production.daily_inputs GROUP BY spk_id) e
                    WHERE s.id = e.spk_id
                    """), logger: logger)
        try await client.query("ANALYZE production.spks", logger: logger)
        try await client.query("ANALYZE production.daily_inputs", logger: logger)
    }
}
