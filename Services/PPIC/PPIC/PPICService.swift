import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// PPIC: the planners' view, built only from Production's events. Owns schema `ppic`.
public enum PPICService {
    public static func definition(timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!,
                                  now: @escaping @Sendable () -> Date = { Date() }) -> ServiceDefinition {
        var handlers = HandlerRegistry()
        handlers.on(SPKCreated.self) { event, context in
            try await SPKView(connection: context.connection, logger: context.logger).apply(event.spk)
        }
        handlers.on(DailyInputRecorded.self) { event, context in
            try await SPKView(connection: context.connection, logger: context.logger).apply(event.spk)
        }
        handlers.on(SPKCompleted.self) { event, context in
            try await SPKView(connection: context.connection, logger: context.logger).apply(event.spk)
        }
        handlers.handle(GetDashboard.self) { _, context in
            try await SPKView(connection: context.connection, logger: context.logger)
                .dashboard(today: LocalDate.of(now(), in: timeZone))
        }
        return ServiceDefinition(name: ServiceName.ppic.rawValue, migrations: PPICMigrations.all, handlers: handlers)
    }
}

enum PPICMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(id: "001-spk-view", sql: """
            -- One row per SPK, as the latest event described it (version guards against reordering).
            CREATE TABLE spk_view (
                spk_id       uuid PRIMARY KEY,
                code         text        NOT NULL,
                stage        text        NOT NULL,
                department   text        NOT NULL,
                target_qty   integer     NOT NULL,
                produced_qty integer     NOT NULL,
                reject_qty   integer     NOT NULL,
                status       text        NOT NULL,
                start_date   date        NOT NULL,
                due_date     date        NOT NULL,
                version      integer     NOT NULL,
                updated_at   timestamptz NOT NULL
            );
            CREATE INDEX spk_view_stage ON spk_view (stage);
            CREATE INDEX spk_view_status_due ON spk_view (status, due_date);
            """),
    ]
}

/// The read model's table.
struct SPKView {
    let connection: PostgresConnection
    let logger: Logger

    /// Keeps the newest state of an SPK; an older or replayed event changes nothing.
    func apply(_ spk: SPK) async throws {
        try await connection.query("""
            INSERT INTO spk_view (spk_id, code, stage, department, target_qty, produced_qty, reject_qty, status, start_date,
                                  due_date, version, updated_at)
            VALUES (\(spk.id), \(spk.code), \(spk.stage.rawValue), \(spk.department.rawValue), \(spk.targetQty),
                    \(spk.producedQty), \(spk.rejectQty), \(spk.status.rawValue), \(spk.startDate.description)::date,
                    \(spk.dueDate.description)::date, \(spk.version), \(spk.updatedAt))
            ON CONFLICT (spk_id) DO UPDATE SET
                target_qty = EXCLUDED.target_qty, produced_qty = EXCLUDED.produced_qty, reject_qty = EXCLUDED.reject_qty,
                status = EXCLUDED.status, due_date = EXCLUDED.due_date, version = EXCLUDED.version,
                updated_at = EXCLUDED.updated_at
            WHERE spk_view.version < EXCLUDED.version
            """, logger: logger)
    }

    func dashboard(today: LocalDate) async throws -> Dashboard {
        let totals = try await connection.query("""
            SELECT count(*)::int,
                   count(*) FILTER (WHERE status = 'NOT_STARTED')::int,
                   count(*) FILTER (WHERE status = 'IN_PROGRESS')::int,
                   count(*) FILTER (WHERE status = 'COMPLETED')::int,
                   count(*) FILTER (WHERE due_date < \(today.description)::date AND status NOT IN ('COMPLETED', 'CANCELLED'))::int,
                   max(updated_at)
            FROM spk_view WHERE status <> 'CANCELLED'
            """, logger: logger)
        var dashboard = Dashboard(totalSpks: 0, notStarted: 0, inProgress: 0, completed: 0, delayed: 0, byStage: [:], updatedAt: nil)
        for try await (total, notStarted, inProgress, completed, delayed, updatedAt)
            in totals.decode((Int, Int, Int, Int, Int, Date?).self) {
            dashboard = Dashboard(totalSpks: total, notStarted: notStarted, inProgress: inProgress, completed: completed,
                                  delayed: delayed, byStage: [:], updatedAt: updatedAt)
        }
        let stages = try await connection.query("""
            SELECT stage, count(*)::int, sum(target_qty)::int, sum(produced_qty)::int
            FROM spk_view WHERE status <> 'CANCELLED' GROUP BY stage
            """, logger: logger)
        for try await (stage, spks, target, produced) in stages.decode((String, Int, Int, Int).self) {
            dashboard.byStage[stage] = StageSummary(spks: spks, target: target, produced: produced,
                                                    progress: progressPercent(produced: produced, target: target))
        }
        return dashboard
    }
}
