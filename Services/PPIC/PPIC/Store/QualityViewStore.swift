import Contracts
import Foundation
import Logging
import PostgresNIO

/// What PPIC knows from Quality: NCRs escalated and not yet decided, shown as alerts.
struct QualityViewStore {
    let connection: PostgresConnection
    let logger: Logger

    /// Escalated and decided arrive in any order: "decided" and the first escalation time win.
    func keep(_ ncr: NCR) async throws {
        try await connection.query(
            """
            INSERT INTO ncrs_view (code, title, article_code, escalated_at, decided)
            VALUES (\(ncr.code), \(ncr.title), \(ncr.articleCode), \(ncr.escalatedAt), \(ncr.status == .decided))
            ON CONFLICT (code) DO UPDATE SET escalated_at = coalesce(ncrs_view.escalated_at, EXCLUDED.escalated_at),
                decided = ncrs_view.decided OR EXCLUDED.decided
            """, logger: logger)
    }

    func escalated(timeZone: TimeZone, limit: Int) async throws -> ([PPICAlert], Int) {
        let rows = try await connection.query(
            """
            SELECT code, title, escalated_at, count(*) OVER ()::bigint FROM ncrs_view
            WHERE NOT decided AND escalated_at IS NOT NULL ORDER BY escalated_at, code LIMIT \(limit)
            """, logger: logger)
        var alerts: [PPICAlert] = []
        var total = 0
        for try await (code, title, escalatedAt, count) in rows.decode((String, String, Date, Int).self) {
            total = count
            alerts.append(
                PPICAlert(
                    type: .ncrEscalated, severity: .warning, spk: nil, spkId: nil, stage: nil,
                    since: LocalDate.of(escalatedAt, in: timeZone),
                    message: "\(code) escalated to MANAGER, still undecided: \(title)"))
        }
        return (alerts, total)
    }
}

extension QualityViewStore {
    func record(_ event: DailyInputRecorded) async throws {
        for line in event.entry.defects ?? [] {
            try await connection.query(
                """
                INSERT INTO entry_defects (entry_id, code, stage, entry_date, qty)
                VALUES (\(event.entryId), \(line.code.uppercased()), \(event.spk.stage.rawValue), \(event.entry.date.description)::date, \(line.qty))
                ON CONFLICT (entry_id, code) DO NOTHING
                """, logger: logger)
        }
    }

    func void(_ entryId: UUID) async throws {
        try await connection.query("UPDATE entry_defects SET voided = true WHERE entry_id = \(entryId)", logger: logger)
    }

    /// Per stage, the defect codes above `percent` of the stage's output (good + rejected) from `from`
    /// through `through`, biggest share first.
    func defectShares(from: LocalDate, through: LocalDate, percent: Int, limit: Int) async throws -> [PPICAlert] {
        let rows = try await connection.query(
            """
            WITH output AS (
                SELECT v.stage, sum(e.qty + e.reject_qty)::bigint AS units FROM spk_entries e JOIN spk_view v ON v.spk_id = e.spk_id
                WHERE e.entry_date BETWEEN \(from.description)::date AND \(through.description)::date GROUP BY v.stage
            ), defects AS (
                SELECT stage, code, sum(qty)::bigint AS qty, min(entry_date)::text AS since FROM entry_defects
                WHERE NOT voided AND entry_date BETWEEN \(from.description)::date AND \(through.description)::date GROUP BY stage, code
            )
            SELECT d.stage, d.code, d.qty, o.units, d.since FROM defects d JOIN output o ON o.stage = d.stage
            WHERE o.units > 0 AND d.qty * 100 > o.units * \(percent)
            ORDER BY d.qty::float8 / o.units DESC, d.stage, d.code LIMIT \(limit)
            """, logger: logger)
        var alerts: [PPICAlert] = []
        for try await (stage, code, qty, units, since) in rows.decode((String, String, Int64, Int64, String).self) {
            let share = (Double(qty) * 1000 / Double(units)).rounded() / 10
            alerts.append(
                PPICAlert(
                    type: .defectShareHigh, severity: .warning, spk: nil, spkId: nil, stage: Stage(rawValue: stage),
                    since: LocalDate(since) ?? from,
                    message: "\(code) is \(share)% of \(stage)'s output since \(from) (\(qty) of \(units)), above \(percent)%"))
        }
        return alerts
    }
}
