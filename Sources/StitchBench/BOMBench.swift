import ArgumentParser
import BOMFinance
import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// `./scripts/bench bom`: BOMFinance in this process (`InProcessStack`) on a throwaway broker and database, seeded with SQL
/// (materials with costs, articles in three levels, an ACTIVE BOM each); then one material's cost is
/// changed as FINANCE would, and the time until every article above it is re-costed is measured.
struct BOMBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bom")

    @Option(help: "The broker") var amqpURL: String
    @Option(help: "The database (a role that may create schemas)") var databaseURL: String
    @Option(help: "Materials to seed") var materials = 20_000
    @Option(help: "Articles to seed (3 levels: 60 % leaf sub-assemblies, 30 % middle, 10 % top)") var articles = 5_000
    @Option(help: "Every n-th leaf uses the material whose cost changes") var hotEvery = 10
    @Option(help: "The gateway's port in this process (the stack has one; this bench sends commands directly)") var httpPort = 8099

    func run() async throws {
        var logger = Logger(label: "stitch.bench")
        logger.logLevel = .warning
        try await InProcessStack.run(
            amqpURL: amqpURL, databaseURL: databaseURL, httpPort: httpPort,
            definitions: [BOMFinanceService.definition(environment: .trustingUnsigned)], extraBuses: ["caller"], logger: logger
        ) { databases, buses in
            try await measure(databases["bomfinance"]!, buses["caller"]!, logger)
        }
    }

    private func measure(_ db: PostgresClient, _ bus: any MessageBus, _ logger: Logger) async throws {
        for _ in 0..<600 {
            if try await scalar(db, "SELECT count(*)::bigint FROM pg_tables WHERE schemaname = 'bomfinance' AND tablename = 'order_issues'") == 1 {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let leaves = articles * 6 / 10
        let middles = articles * 3 / 10
        let tops = articles - leaves - middles
        print("BOMFinance re-costing: \(materials) materials, \(articles) articles in 3 levels (\(leaves) / \(middles) / \(tops))")
        let seeding = ContinuousClock.now
        try await seed(db, leaves: leaves, middles: middles, tops: tops, logger: logger)
        report("seeding (SQL)", String(format: "%8.1f s", seeding.duration(to: .now).seconds))
        let hot = String(format: "M-%05d", materials - 1)
        let affected = try await scalar(
            db,
            """
            WITH RECURSIVE up(article) AS (
                SELECT b.article_code FROM bom_components c JOIN boms b ON b.id = c.bom_id AND b.status = 'ACTIVE'
                WHERE c.kind = 'M' AND c.component = '\(hot)'
                UNION SELECT b.article_code FROM up JOIN bom_components c ON c.kind = 'A' AND c.component = up.article
                JOIN boms b ON b.id = c.bom_id AND b.status = 'ACTIVE')
            SELECT count(*)::bigint FROM up
            """)
        print("  \(hot) is used, directly or through sub-assemblies, by \(affected) articles")
        for (round, cost) in [("first change (no standard costs stored yet)", 1500), ("second change", 1750), ("third change", 1600)] {
            let start = Date()
            let clock = ContinuousClock.now
            let command = SetMaterialCost(code: hot, cost: Decimal(cost), effectiveFrom: InputRules.today.adding(years: -4), reason: "bench")
            _ = try await bus.send(
                Envelope(command, actor: Actor(userId: "bench", username: "bench", roles: ["ADMIN"])),
                timeout: .seconds(30))
            let accepted = clock.duration(to: .now)
            var done = 0
            let deadline = ContinuousClock.now + .seconds(600)
            while done < affected, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
                var binds = PostgresBindings()
                binds.append(start)
                for try await count in try await db.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT count(*)::bigint FROM article_costs WHERE costed_at >= $1", binds: binds), logger: logger
                ).decode(Int.self) {
                    done = count
                }
            }
            guard done >= affected else { throw BenchFailure("only \(done) of \(affected) articles re-costed within 600 s") }
            report("\(round): cost accepted", accepted.milliseconds)
            report("\(round): all \(affected) articles re-costed", clock.duration(to: .now).milliseconds)
        }
    }

    private func scalar(_ db: PostgresClient, _ sql: String) async throws -> Int {
        for try await value in try await db.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "bench")).decode(Int.self) {
            return value
        }
        return 0
    }

    /// Materials M-00000…, each with a cost; leaves A3-n use five materials each (every `hotEvery`-th also the
    /// last material), middles A2-n three leaves and a material, tops A1-n three middles and a material.
    private func seed(_ db: PostgresClient, leaves: Int, middles: Int, tops: Int, logger: Logger) async throws {
        let plain = max(1, materials - 1)
        let statements = [
            "TRUNCATE materials, material_costs, articles, boms, bom_components, article_costs CASCADE",
            """
            INSERT INTO materials (code, name, category, unit, active, version, updated_at)
            SELECT 'M-' || lpad(n::text, 5, '0'), 'Bench material ' || n, 'FABRIC', 'M', true, 1, now() FROM generate_series(0, \(materials - 1)) n
            """,
            """
            INSERT INTO material_costs (material_code, effective_from, cost, reason, recorded_by, recorded_at)
            SELECT 'M-' || lpad(n::text, 5, '0'), '2020-01-01', 1000 + n % 997, 'bench', 'bench', now() FROM generate_series(0, \(materials - 1)) n
            """,
            "CREATE TEMP TABLE bench_lines (article text, kind char(1), component text, qty numeric)",
            """
            INSERT INTO bench_lines SELECT DISTINCT 'A3-' || lpad(i::text, 5, '0'), 'M', 'M-' || lpad(((i * 5 + k) % \(plain))::text, 5, '0'), 0.1
            FROM generate_series(0, \(leaves - 1)) i, generate_series(0, 4) k
            """,
            """
            INSERT INTO bench_lines SELECT 'A3-' || lpad(i::text, 5, '0'), 'M', 'M-' || lpad(\(materials - 1)::text, 5, '0'), 0.05
            FROM generate_series(0, \(leaves - 1), \(hotEvery)) i
            """,
            """
            INSERT INTO bench_lines SELECT DISTINCT 'A2-' || lpad(j::text, 5, '0'), 'A', 'A3-' || lpad(x::text, 5, '0'), 1
            FROM generate_series(0, \(middles - 1)) j,
                 unnest(ARRAY[(j * 2) % \(leaves), (j * 2 + 1) % \(leaves), (j + \(middles)) % \(leaves)]) x
            """,
            """
            INSERT INTO bench_lines SELECT 'A2-' || lpad(j::text, 5, '0'), 'M', 'M-' || lpad(((j * 7) % \(plain))::text, 5, '0'), 0.2
            FROM generate_series(0, \(middles - 1)) j
            """,
            """
            INSERT INTO bench_lines SELECT DISTINCT 'A1-' || lpad(k::text, 5, '0'), 'A', 'A2-' || lpad(((k * 3 + x) % \(middles))::text, 5, '0'), 1
            FROM generate_series(0, \(tops - 1)) k, generate_series(0, 2) x
            """,
            """
            INSERT INTO bench_lines SELECT 'A1-' || lpad(k::text, 5, '0'), 'M', 'M-' || lpad(((k * 11) % \(plain))::text, 5, '0'), 0.3
            FROM generate_series(0, \(tops - 1)) k
            """,
            """
            INSERT INTO articles (code, name, customer, route, labour, active, version, updated_at)
            SELECT DISTINCT article, 'Bench ' || article, NULL::text, '{CUTTING,SEWING,PACKING}'::text[],
                   '[{"stage": "SEWING", "minutes": 5}, {"stage": "CUTTING", "minutes": 1.5}]'::jsonb, true, 1, now()
            FROM bench_lines
            """,
            """
            WITH stamp AS (SELECT to_char((now() - interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts)
            INSERT INTO boms (id, code, article_code, version, status, activated_at, created_at, document)
            SELECT md5('bench-bom-' || article)::uuid, 'BOM-' || article || '-001', article, 1, 'ACTIVE', now() - interval '1 day',
                   now() - interval '1 day',
                   jsonb_build_object('id', md5('bench-bom-' || article)::uuid, 'code', 'BOM-' || article || '-001', 'article_code', article,
                       'version', 1, 'status', 'ACTIVE', 'created_by', 'bench', 'created_at', (SELECT ts FROM stamp),
                       'activated_at', (SELECT ts FROM stamp), 'updated_at', (SELECT ts FROM stamp),
                       'lines', jsonb_agg(CASE WHEN kind = 'M' THEN jsonb_build_object('material_code', component, 'qty_per_unit', qty)
                                               ELSE jsonb_build_object('article_code', component, 'qty_per_unit', qty) END))
            FROM bench_lines GROUP BY article
            """,
            """
            INSERT INTO bom_components (bom_id, kind, component)
            SELECT DISTINCT md5('bench-bom-' || article)::uuid, kind, component FROM bench_lines
            """,
            "ANALYZE",
        ]
        try await db.withConnection { connection in
            for sql in statements {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                } catch let error as PSQLError {
                    throw BenchFailure("seeding failed: \(error.serverInfo?[.message] ?? String(reflecting: error))\n\(sql)")
                }
            }
        }
    }
}
