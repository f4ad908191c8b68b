import Contracts
import Foundation
import Logging
import PostgresNIO

/// What PPIC knows from the warehouse: open material debts and cartons confirmed into finished goods.
struct WarehouseViewStore {
    let connection: PostgresConnection
    let logger: Logger

    func opened(_ debt: WarehouseDebt) async throws {
        try await connection.query(
            """
            INSERT INTO debts_view (debt_id, approval_code, material_code, spk_code, open_qty, opened_at)
            VALUES (\(debt.id), \(debt.approvalCode), \(debt.materialCode), \(debt.spkCode), \(debt.openQty), \(debt.openedAt))
            ON CONFLICT (debt_id) DO UPDATE SET spk_code = EXCLUDED.spk_code, opened_at = EXCLUDED.opened_at
            """, logger: logger)
    }

    /// A settlement may arrive before the opening (different events): the row is made from it, and
    /// the smallest open quantity and any "settled" win.
    func settled(_ event: MaterialDebtSettled) async throws {
        try await connection.query(
            """
            INSERT INTO debts_view (debt_id, approval_code, material_code, open_qty, opened_at, settled)
            VALUES (\(event.debtId), \(event.approvalCode), \(event.materialCode), \(event.openQty), \(event.occurredAt), \(event.fullySettled))
            ON CONFLICT (debt_id) DO UPDATE SET open_qty = least(debts_view.open_qty, EXCLUDED.open_qty),
                settled = debts_view.settled OR EXCLUDED.settled
            """, logger: logger)
    }

    func received(_ event: CartonConfirmed, on day: LocalDate) async throws {
        try await connection.query(
            """
            INSERT INTO fg_receipts (carton_id, order_code, spk_code, article_code, qty, received_on)
            VALUES (\(event.cartonId), \(event.orderCode), \(event.spkCode), \(event.articleCode), \(event.qty), \(day.description)::date)
            ON CONFLICT (carton_id) DO NOTHING
            """, logger: logger)
    }

    /// Debts open since before `since`, oldest first, as warnings.
    func debtsOpenTooLong(since: Date, now: Date, timeZone: TimeZone, limit: Int) async throws -> ([PPICAlert], Int) {
        let rows = try await connection.query(
            """
            SELECT approval_code, material_code, spk_code, open_qty, opened_at, count(*) OVER ()::bigint FROM debts_view
            WHERE NOT settled AND opened_at < \(since) ORDER BY opened_at, approval_code LIMIT \(limit)
            """, logger: logger)
        var alerts: [PPICAlert] = []
        var total = 0
        for try await (code, material, spk, open, openedAt, count) in rows.decode((String, String, String?, Decimal, Date, Int).self) {
            total = count
            let days = Int(now.timeIntervalSince(openedAt) / 86400)
            alerts.append(
                PPICAlert(
                    type: .materialDebtOpen, severity: .warning, spk: spk, spkId: nil, stage: nil,
                    since: LocalDate.of(openedAt, in: timeZone),
                    message: "material debt \(code): \(open) \(material) still owed after \(days) days"))
        }
        return (alerts, total)
    }

    func finishedGoods(date: LocalDate) async throws -> FinishedGoodsReport {
        let rows = try await connection.query(
            """
            SELECT d.order_code, d.article_code, sum(d.qty)::bigint, count(*)::bigint,
                   (SELECT coalesce(sum(t.qty), 0)::bigint FROM fg_receipts t
                     WHERE t.order_code IS NOT DISTINCT FROM d.order_code AND t.article_code = d.article_code
                       AND t.received_on <= \(date.description)::date)
            FROM fg_receipts d WHERE d.received_on = \(date.description)::date
            GROUP BY d.order_code, d.article_code ORDER BY d.order_code NULLS LAST, d.article_code
            """, logger: logger)
        var lines: [OrderFinishedGoods] = []
        for try await (order, article, qty, cartons, toDate) in rows.decode((String?, String, Int, Int, Int).self) {
            lines.append(OrderFinishedGoods(orderCode: order, articleCode: article, qty: qty, cartons: cartons, qtyToDate: toDate))
        }
        return FinishedGoodsReport(
            date: date, qty: lines.reduce(0) { $0 + $1.qty }, cartons: lines.reduce(0) { $0 + $1.cartons },
            byOrder: lines)
    }
}
