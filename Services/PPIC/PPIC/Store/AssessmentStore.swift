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
    }

    /// The SPKs of `ids` with their figures and their last verdict.
    func subjects(_ ids: [UUID]) async throws -> [Subject] {
        let rows = try await connection.query("""
            SELECT s.spk_id, s.code, s.stage, s.status, s.target_qty, s.produced_qty, s.reject_qty, s.start_date::text,
                   s.due_date::text, (SELECT max(e.entry_date) FROM spk_entries e
                                      WHERE e.spk_id = s.spk_id AND (e.qty > 0 OR e.reject_qty > 0))::text,
                   s.health, s.health_since::text, p.code, p.stage, p.produced_qty, p.status
            FROM spk_view s
            LEFT JOIN LATERAL (SELECT code, stage, produced_qty, status FROM spk_view p
                               WHERE p.order_id = s.order_id AND p.sequence < s.sequence
                               ORDER BY p.sequence DESC LIMIT 1) p ON true
            WHERE s.spk_id = ANY(\(ids))
            """, logger: logger)
        var subjects: [UUID: Subject] = [:]
        for try await (id, code, stage, status, target, produced, rejects, start, due, lastInput, health, healthSince,
                       previousCode, previousStage, previousProduced, previousStatus)
            in rows.decode((UUID, String, String, String, Int, Int, Int, String, String, String?, String?, String?,
                            String?, String?, Int?, String?).self) {
            guard let stage = Stage(rawValue: stage), let status = SPKStatus(rawValue: status),
                  let start = LocalDate(start), let due = LocalDate(due) else {
                logger.warning("SPK \(code) has values this version does not know; not judged")
                continue
            }
            var before: SPKFigures.PreviousStage?
            if let previousCode, let stage = previousStage.flatMap(Stage.init(rawValue:)), let previousProduced,
               let status = previousStatus.flatMap(SPKStatus.init(rawValue:)) {
                before = .init(code: previousCode, stage: stage, producedQty: previousProduced, status: status)
            }
            let figures = SPKFigures(code: code, status: status, targetQty: target, producedQty: produced, rejectQty: rejects,
                                     startDate: start, dueDate: due, lastInputDate: lastInput.flatMap(LocalDate.init),
                                     previousStage: before)
            subjects[id] = Subject(id: id, stage: stage, figures: figures, previous: PreviousAssessment(
                health: health.flatMap(SPKHealth.init(rawValue:)), healthSince: healthSince.flatMap(LocalDate.init)))
        }
        let alerts = try await connection.query(
            "SELECT spk_id, type, since::text FROM spk_alerts WHERE spk_id = ANY(\(Array(subjects.keys)))", logger: logger)
        for try await (id, type, since) in alerts.decode((UUID, String, String).self) {
            guard let type = AlertType(rawValue: type), let since = LocalDate(since) else { continue }
            subjects[id]?.previous.alertsSince[type] = since
        }
        return Array(subjects.values)
    }

    /// Stores each subject's verdict (nil: finished, no health) and replaces its alerts.
    func save(_ verdicts: [(Subject, Assessment?)]) async throws {
        guard !verdicts.isEmpty else { return }
        let ids = verdicts.map(\.0.id)
        func column(_ value: (Assessment) -> String) -> [String] { verdicts.map { $0.1.map(value) ?? "" } }
        try await connection.query("""
            UPDATE spk_view v SET health = NULLIF(a.health, ''), health_rank = NULLIF(a.health_rank, '')::smallint,
                health_since = NULLIF(a.since, '')::date, planned_qty = NULLIF(a.planned, '')::integer,
                health_reason = NULLIF(a.reason, ''), last_input_date = NULLIF(a.last_input, '')::date
            FROM unnest(\(ids), \(column(\.health.rawValue)), \(column { String(Self.rank($0.health)) }),
                        \(column(\.healthSince.description)), \(column { String($0.planned) }), \(column(\.reason)),
                        \(verdicts.map { $0.0.figures.lastInputDate?.description ?? "" }))
                AS a(spk_id, health, health_rank, since, planned, reason, last_input)
            WHERE v.spk_id = a.spk_id
            """, logger: logger)
        try await connection.query("DELETE FROM spk_alerts WHERE spk_id = ANY(\(ids))", logger: logger)
        let alerts = verdicts.flatMap { subject, assessment in (assessment?.alerts ?? []).map { (subject, $0) } }
        guard !alerts.isEmpty else { return }
        try await connection.query("""
            INSERT INTO spk_alerts (spk_id, type, severity, since, message, code, stage, due_date)
            SELECT a.spk_id, a.type, a.severity, a.since::date, a.message, a.code, a.stage, a.due_date::date
            FROM unnest(\(alerts.map(\.0.id)), \(alerts.map(\.1.type.rawValue)), \(alerts.map(\.1.severity.rawValue)),
                        \(alerts.map(\.1.since.description)), \(alerts.map(\.1.message)), \(alerts.map(\.0.figures.code)),
                        \(alerts.map(\.0.stage.rawValue)), \(alerts.map(\.0.figures.dueDate.description)))
                AS a(spk_id, type, severity, since, message, code, stage, due_date)
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
