import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// PPIC: the planners' view, built only from Production's events. Owns schema `ppic`.
public enum PPICService {
    /// - Parameter approvalWarning: how long an approval may wait before it counts as waiting too long.
    public static func definition(timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!,
                                  approvalWarning: Duration = .seconds(24 * 3600),
                                  now: @escaping @Sendable () -> Date = { Date() }) -> ServiceDefinition {
        var handlers = HandlerRegistry()
        for type in ProductionEvents.spkState { follow(type, in: &handlers) }
        for approvalEvent in [ApprovalSubmitted.self, ApprovalApproved.self, ApprovalRejected.self, ApprovalCancelled.self]
            as [any ApprovalEvent.Type] {
            approvalEvent.register(in: &handlers)
        }
        handlers.handle(GetDashboard.self) { _, context in
            try await PPICReadModel(connection: context.connection, logger: context.logger)
                .dashboard(today: LocalDate.of(now(), in: timeZone), approvalsWaitingSince: now().addingTimeInterval(
                    -Double(approvalWarning.components.seconds)))
        }
        return ServiceDefinition(name: ServiceName.ppic.rawValue, migrations: PPICMigrations.all, handlers: handlers)
    }
}

/// Keeps the SPK view at the newest state an event describes.
private func follow<E: SPKStateEvent>(_ type: E.Type, in handlers: inout HandlerRegistry) {
    handlers.on(type) { event, context in
        try await PPICReadModel(connection: context.connection, logger: context.logger).apply(event.spk)
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
        SQLMigration(id: "002-approvals-view", sql: """
            -- Approval requests as their events told; a decided one never goes back to PENDING.
            CREATE TABLE approvals_view (
                request_id   uuid PRIMARY KEY,
                code         text        NOT NULL,
                kind         text        NOT NULL,
                status       text        NOT NULL,
                requested_at timestamptz NOT NULL
            );
            CREATE INDEX approvals_view_pending ON approvals_view (requested_at) WHERE status = 'PENDING';
            """),
    ]
}

/// PPIC's read model: its tables and the questions asked of them.
struct PPICReadModel {
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

    func apply(_ request: ApprovalRequest) async throws {
        try await connection.query("""
            INSERT INTO approvals_view (request_id, code, kind, status, requested_at)
            VALUES (\(request.id), \(request.code), \(request.kind.rawValue), \(request.status.rawValue), \(request.requestedAt))
            ON CONFLICT (request_id) DO UPDATE SET status = EXCLUDED.status
            WHERE approvals_view.status = 'PENDING'
            """, logger: logger)
    }

    func dashboard(today: LocalDate, approvalsWaitingSince: Date) async throws -> Dashboard {
        let totals = try await connection.query("""
            SELECT count(*)::int,
                   count(*) FILTER (WHERE status = 'NOT_STARTED')::int,
                   count(*) FILTER (WHERE status = 'IN_PROGRESS')::int,
                   count(*) FILTER (WHERE status = 'COMPLETED')::int,
                   count(*) FILTER (WHERE status = 'ON_HOLD')::int,
                   count(*) FILTER (WHERE due_date < \(today.description)::date
                                    AND status NOT IN ('COMPLETED', 'CANCELLED', 'CLOSED'))::int,
                   max(updated_at)
            FROM spk_view WHERE status <> 'CANCELLED'
            """, logger: logger)
        var dashboard = Dashboard(totalSpks: 0, notStarted: 0, inProgress: 0, completed: 0, delayed: 0, byStage: [:], updatedAt: nil)
        for try await (total, notStarted, inProgress, completed, onHold, delayed, updatedAt)
            in totals.decode((Int, Int, Int, Int, Int, Int, Date?).self) {
            dashboard = Dashboard(totalSpks: total, notStarted: notStarted, inProgress: inProgress, completed: completed,
                                  onHold: onHold, delayed: delayed, byStage: [:], updatedAt: updatedAt)
        }
        let stages = try await connection.query("""
            SELECT stage, count(*)::int, sum(target_qty)::int, sum(produced_qty)::int
            FROM spk_view WHERE status <> 'CANCELLED' GROUP BY stage
            """, logger: logger)
        for try await (stage, spks, target, produced) in stages.decode((String, Int, Int, Int).self) {
            dashboard.byStage[stage] = StageSummary(spks: spks, target: target, produced: produced,
                                                    progress: progressPercent(produced: produced, target: target))
        }
        let approvals = try await connection.query("""
            SELECT count(*)::int, count(*) FILTER (WHERE requested_at < \(approvalsWaitingSince))::int
            FROM approvals_view WHERE status = 'PENDING'
            """, logger: logger)
        for try await (pending, waiting) in approvals.decode((Int, Int).self) {
            dashboard.pendingApprovals = pending
            dashboard.approvalsWaitingTooLong = waiting
        }
        return dashboard
    }
}

/// The four approval events carry the whole request; PPIC keeps its status.
protocol ApprovalEvent: Event {
    var request: ApprovalRequest { get }
}

extension ApprovalEvent {
    static func register(in handlers: inout HandlerRegistry) {
        handlers.on(Self.self) { event, context in
            try await PPICReadModel(connection: context.connection, logger: context.logger).apply(event.request)
        }
    }
}

extension ApprovalSubmitted: ApprovalEvent {}
extension ApprovalApproved: ApprovalEvent {}
extension ApprovalRejected: ApprovalEvent {}
extension ApprovalCancelled: ApprovalEvent {}
