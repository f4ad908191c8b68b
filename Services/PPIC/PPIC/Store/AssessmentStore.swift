import Contracts
import Foundation
import Logging
import PostgresNIO

/// Reads what the health rules need about SPKs and stores their verdicts: health columns on
/// `spk_view`, the SPK's alerts in `spk_alerts`.
struct AssessmentStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Subject {
        var id: UUID
        var stage: Stage
        var figures: SPKFigures
        var previous: PreviousAssessment
        /// The stored row's version.
        var version: Int = 0
        /// A newer state from an event, written together with the verdict (`save`).
        var newState: (spk: SPK, window: PlanWindow)?
    }

    /// The SPKs of `ids` with their figures and their last verdict.
    func subjects(_ ids: [UUID]) async throws -> [Subject] {
        let rows = try await connection.prepared(
            """
            SELECT s.spk_id, s.code, s.stage, s.status, s.target_qty, s.produced_qty, s.reject_qty, s.start_date::text,
                   s.due_date::text, (SELECT max(e.entry_date) FROM spk_entries e
                                      WHERE e.spk_id = s.spk_id AND (e.qty > 0 OR e.reject_qty > 0))::text,
                   s.health, s.health_since::text, p.code, p.stage, p.produced_qty, p.status, s.version
            FROM spk_view s
            LEFT JOIN LATERAL (SELECT code, stage, produced_qty, status FROM spk_view p
                               WHERE p.order_id = s.order_id AND p.sequence < s.sequence
                               ORDER BY p.sequence DESC LIMIT 1) p ON true
            WHERE s.spk_id = ANY(\(ids))
            """, logger: logger)
        var subjects: [UUID: Subject] = [:]
        for row in rows {
            let (
                id, code, stage, status, target, produced, rejects, start, due, lastInput, health, healthSince,
                previousCode, previousStage, previousProduced, previousStatus, version
            ) = try row.decode(
                (
                    UUID, String, String, String, Int, Int, Int, String, String, String?, String?, String?,
                    String?, String?, Int?, String?, Int
                ).self)
            guard let stage = Stage(rawValue: stage), let status = SPKStatus(rawValue: status),
                let start = LocalDate(start), let due = LocalDate(due)
            else {
                logger.warning("SPK \(code) has values this version does not know; not judged")
                continue
            }
            var before: SPKFigures.PreviousStage?
            if let previousCode, let stage = previousStage.flatMap(Stage.init(rawValue:)), let previousProduced,
                let status = previousStatus.flatMap(SPKStatus.init(rawValue:))
            {
                before = .init(code: previousCode, stage: stage, producedQty: previousProduced, status: status)
            }
            let figures = SPKFigures(
                code: code, status: status, targetQty: target, producedQty: produced, rejectQty: rejects,
                startDate: start, dueDate: due, lastInputDate: lastInput.flatMap(LocalDate.init),
                previousStage: before)
            subjects[id] = Subject(
                id: id, stage: stage, figures: figures,
                previous: PreviousAssessment(
                    health: health.flatMap(SPKHealth.init(rawValue:)), healthSince: healthSince.flatMap(LocalDate.init)),
                version: version)
        }
        let alerts = try await connection.prepared(
            "SELECT spk_id, type, since::text FROM spk_alerts WHERE spk_id = ANY(\(Array(subjects.keys)))", logger: logger)
        for row in alerts {
            let (id, type, since) = try row.decode((UUID, String, String).self)
            guard let type = AlertType(rawValue: type), let since = LocalDate(since) else { continue }
            subjects[id]?.previous.alertsSince[type] = since
        }
        return Array(subjects.values)
    }

    /// Stores each subject's verdict (nil: finished, no health) and replaces its alerts.
    func save(_ verdicts: [(Subject, Assessment?)]) async throws {
        guard !verdicts.isEmpty else { return }
        let judged = verdicts.filter { $0.0.newState == nil }
        if !judged.isEmpty {
            let ids = judged.map(\.0.id)
            func column(_ value: (Assessment) -> String) -> [String] { judged.map { $0.1.map(value) ?? "" } }
            try await connection.prepared(
                """
                UPDATE spk_view v SET health = NULLIF(a.health, ''), health_rank = NULLIF(a.health_rank, '')::smallint,
                    health_since = NULLIF(a.since, '')::date, planned_qty = NULLIF(a.planned, '')::integer,
                    health_reason = NULLIF(a.reason, ''), last_input_date = NULLIF(a.last_input, '')::date
                FROM unnest(\(ids), \(column(\.health.rawValue)), \(column { String(Self.rank($0.health)) }),
                            \(column(\.healthSince.description)), \(column { String($0.planned) }), \(column(\.reason)),
                            \(judged.map { $0.0.figures.lastInputDate?.description ?? "" }))
                    AS a(spk_id, health, health_rank, since, planned, reason, last_input)
                WHERE v.spk_id = a.spk_id
                """, logger: logger)
        }
        // SPKs whose newer state came with events: state and verdict in one write of each row.
        let updated = verdicts.compactMap { subject, assessment in subject.newState.map { (subject, $0.spk, $0.window, assessment) } }
        if !updated.isEmpty {
            func column(_ value: (Assessment) -> String) -> [String] { updated.map { $0.3.map(value) ?? "" } }
            try await connection.prepared(
                """
                UPDATE spk_view v SET target_qty = n.target_qty, produced_qty = n.produced_qty, reject_qty = n.reject_qty,
                    status = n.status, start_date = n.start_date::date, due_date = n.due_date::date, version = n.version,
                    updated_at = n.updated_at, order_id = COALESCE(NULLIF(n.order_id, '')::uuid, v.order_id),
                    order_code = COALESCE(NULLIF(n.order_code, ''), v.order_code),
                    sequence = COALESCE(NULLIF(n.sequence, '')::integer, v.sequence), planned_days = n.planned_days,
                    counts_calendar_days = n.counts_calendar_days,
                    health = NULLIF(n.health, ''), health_rank = NULLIF(n.health_rank, '')::smallint,
                    health_since = NULLIF(n.since, '')::date, planned_qty = NULLIF(n.planned, '')::integer,
                    health_reason = NULLIF(n.reason, ''), last_input_date = NULLIF(n.last_input, '')::date
                FROM unnest(\(updated.map(\.0.id)), \(updated.map(\.1.targetQty))::bigint[], \(updated.map(\.1.producedQty))::bigint[],
                            \(updated.map(\.1.rejectQty))::bigint[], \(updated.map(\.1.status.rawValue)),
                            \(updated.map(\.1.startDate.description)), \(updated.map(\.1.dueDate.description)),
                            \(updated.map(\.1.version))::bigint[], \(updated.map(\.1.updatedAt)),
                            \(updated.map { $0.1.orderId?.uuidString ?? "" }), \(updated.map { $0.1.orderCode ?? "" }),
                            \(updated.map { $0.1.sequence.map(String.init) ?? "" }), \(updated.map(\.2.days))::bigint[],
                            \(updated.map(\.2.countsCalendarDays)), \(column(\.health.rawValue)),
                            \(column { String(Self.rank($0.health)) }), \(column(\.healthSince.description)),
                            \(column { String($0.planned) }), \(column(\.reason)),
                            \(updated.map { $0.0.figures.lastInputDate?.description ?? "" }))
                    AS n(spk_id, target_qty, produced_qty, reject_qty, status, start_date, due_date, version, updated_at, order_id,
                         order_code, sequence, planned_days, counts_calendar_days, health, health_rank, since, planned, reason,
                         last_input)
                WHERE v.spk_id = n.spk_id AND v.version < n.version
                """, logger: logger)
        }
        // The alerts: those no longer found go, new ones come, changed ones are updated — an unchanged alert
        // is not written again.
        let alerts = verdicts.flatMap { subject, assessment in (assessment?.alerts ?? []).map { (subject, $0) } }
        try await connection.prepared(
            """
            DELETE FROM spk_alerts WHERE spk_id = ANY(\(verdicts.map(\.0.id)))
                AND (spk_id, type) NOT IN (SELECT * FROM unnest(\(alerts.map(\.0.id)), \(alerts.map(\.1.type.rawValue))))
            """, logger: logger)
        guard !alerts.isEmpty else { return }
        try await connection.prepared(
            """
            INSERT INTO spk_alerts (spk_id, type, severity, since, message, code, stage, due_date)
            SELECT a.spk_id, a.type, a.severity, a.since::date, a.message, a.code, a.stage, a.due_date::date
            FROM unnest(\(alerts.map(\.0.id)), \(alerts.map(\.1.type.rawValue)), \(alerts.map(\.1.severity.rawValue)),
                        \(alerts.map(\.1.since.description)), \(alerts.map(\.1.message)), \(alerts.map(\.0.figures.code)),
                        \(alerts.map(\.0.stage.rawValue)), \(alerts.map(\.0.figures.dueDate.description)))
                AS a(spk_id, type, severity, since, message, code, stage, due_date)
            ON CONFLICT (spk_id, type) DO UPDATE SET severity = EXCLUDED.severity, since = EXCLUDED.since,
                message = EXCLUDED.message, code = EXCLUDED.code, stage = EXCLUDED.stage, due_date = EXCLUDED.due_date
            WHERE (spk_alerts.severity, spk_alerts.since, spk_alerts.message, spk_alerts.code, spk_alerts.stage, spk_alerts.due_date)
                IS DISTINCT FROM (EXCLUDED.severity, EXCLUDED.since, EXCLUDED.message, EXCLUDED.code, EXCLUDED.stage, EXCLUDED.due_date)
            """, logger: logger)
    }

    /// Worst first in reports.
    static func rank(_ health: SPKHealth) -> Int {
        switch health {
        case .offTrack: 0
        case .atRisk: 1
        case .onTrack: 2
        }
    }
}
