import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// An order as BOMFinance knows it from Production.
struct OrderCopy: Sendable {
    var code: String
    var articleCode: String
    var qty: Int
    var route: [Stage]
    var bomId: UUID?
    var note: String?
}

/// Standard costs kept by re-costing, and what orders used: pins, output, rejects, issues.
struct CostStore {
    let connection: PostgresConnection
    let logger: Logger

    /// Serialises re-costing across instances: two cost changes never interleave their roll-ups.
    func lockRecosting() async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('stitch.bomfinance.recost'))", logger: logger)
    }

    func standardCosts(_ articles: [String]) async throws -> [String: (RolledCost, Decimal)] {
        guard !articles.isEmpty else { return [:] }
        var found: [String: (RolledCost, Decimal)] = [:]
        for try await (code, material, labour, total) in try await connection.query(
            """
            SELECT article_code, material::text, labour::text, total::text FROM article_costs WHERE article_code = ANY(\(articles))
            """, logger: logger
        ).decode((String, String, String, String).self) {
            found[code] = (
                RolledCost(material: Decimal(string: material) ?? 0, labour: Decimal(string: labour) ?? 0),
                Decimal(string: total) ?? 0
            )
        }
        return found
    }

    // MARK: Orders

    func keepOrder(_ order: OrderCopy, id: UUID, createdAt: Date) async throws {
        try await connection.query(
            """
            INSERT INTO orders (code, id, article_code, qty, route, bom_id, note, created_at)
            VALUES (\(order.code), \(id), \(order.articleCode), \(order.qty), \(order.route.map(\.rawValue)), \(order.bomId),
                    \(order.note), \(createdAt))
            ON CONFLICT (code) DO NOTHING
            """, logger: logger)
    }

    func order(_ code: String) async throws -> OrderCopy? {
        let rows = try await connection.query(
            """
            SELECT code, article_code, qty, route, bom_id, note FROM orders WHERE code = \(code.uppercased())
            """, logger: logger)
        for try await (code, article, qty, route, bom, note) in rows.decode((String, String, Int, [String], UUID?, String?).self) {
            return OrderCopy(
                code: code, articleCode: article, qty: qty, route: route.compactMap(Stage.init(rawValue:)), bomId: bom,
                note: note)
        }
        return nil
    }

    func recordWork(entry: UUID, order: String, stage: Stage, day: LocalDate, good: Int, rejected: Int) async throws {
        try await connection.query(
            """
            INSERT INTO order_work (entry_id, order_code, stage, day, good, rejected)
            VALUES (\(entry), \(order), \(stage.rawValue), \(day.description)::date, \(good), \(rejected))
            ON CONFLICT (entry_id) DO NOTHING
            """, logger: logger)
    }

    /// Per stage and day: good and rejected units.
    func work(of order: String) async throws -> [(stage: Stage, day: LocalDate, good: Int, rejected: Int)] {
        var result: [(Stage, LocalDate, Int, Int)] = []
        for try await (stage, day, good, rejected) in try await connection.query(
            """
            SELECT stage, day::text, sum(good)::bigint, sum(rejected)::bigint FROM order_work WHERE order_code = \(order)
            GROUP BY stage, day ORDER BY day
            """, logger: logger
        ).decode((String, String, Int, Int).self) {
            if let stage = Stage(rawValue: stage), let day = LocalDate(day) { result.append((stage, day, good, rejected)) }
        }
        return result
    }

    func recordIssue(_ issue: MaterialIssued, order: String) async throws {
        try await connection.query(
            """
            INSERT INTO order_issues (movement_id, order_code, material_code, qty, unit_cost, occurred_at)
            VALUES (\(issue.movementId), \(order), \(issue.materialCode), \(issue.qty.description)::numeric,
                    \(issue.unitCost?.description)::numeric, \(issue.occurredAt))
            ON CONFLICT (movement_id) DO NOTHING
            """, logger: logger)
    }

    /// Material issued to the order, net of returns: quantity and value (at the cost it moved with;
    /// without one, at `fallback`).
    func issued(to order: String, fallback: [String: Decimal]) async throws -> [String: OrderCostRules.Issued] {
        var result: [String: OrderCostRules.Issued] = [:]
        for try await (code, qty, cost) in try await connection.query(
            """
            SELECT material_code, qty::text, unit_cost::text FROM order_issues WHERE order_code = \(order)
            """, logger: logger
        ).decode((String, String, String?).self) {
            let quantity = Decimal(string: qty) ?? 0
            let unitCost = cost.flatMap { Decimal(string: $0) } ?? fallback[code] ?? 0
            var item = result[code] ?? OrderCostRules.Issued(qty: 0, cost: 0)
            item.qty += quantity
            item.cost += quantity * unitCost
            result[code] = item
        }
        return result
    }
}

extension CostStore {
    /// Keeps many articles' standard costs in one statement (a re-costing pass).
    func keepStandardCosts(_ costs: [(article: String, cost: RolledCost, total: Decimal)], at: Date) async throws {
        guard !costs.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO article_costs (article_code, material, labour, total, costed_at)
            SELECT a, m::numeric, l::numeric, t::numeric, \(at)
            FROM unnest(\(costs.map(\.article))::text[], \(costs.map(\.cost.material.description))::text[],
                        \(costs.map(\.cost.labour.description))::text[], \(costs.map(\.total.description))::text[]) AS x(a, m, l, t)
            ON CONFLICT (article_code) DO UPDATE SET material = EXCLUDED.material, labour = EXCLUDED.labour,
                total = EXCLUDED.total, costed_at = EXCLUDED.costed_at
            """, logger: logger)
    }
}
