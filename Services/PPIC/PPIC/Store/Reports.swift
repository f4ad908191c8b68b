import Contracts
import Foundation
import Logging
import PostgresNIO

/// The planners' questions, answered from PPIC's tables only (health and alerts are stored verdicts).
struct Reports {
    let connection: PostgresConnection
    let logger: Logger
    let settings: PPICSettings
    /// The moment the question is asked (the service's clock).
    let now: Date

    var today: LocalDate { LocalDate.of(now, in: settings.timeZone) }
    /// Approval requests made before this have waited too long.
    var approvalsWaitingSince: Date { now.addingTimeInterval(-Double(settings.approvalWarning.components.seconds)) }

    func dashboard() async throws -> Dashboard {
        let totals = try await connection.query(
            """
            SELECT count(*)::bigint,
                   count(*) FILTER (WHERE status = 'NOT_STARTED')::bigint,
                   count(*) FILTER (WHERE status = 'IN_PROGRESS')::bigint,
                   count(*) FILTER (WHERE status = 'COMPLETED')::bigint,
                   count(*) FILTER (WHERE status = 'ON_HOLD')::bigint,
                   count(*) FILTER (WHERE due_date < \(today.description)::date
                                    AND status NOT IN ('COMPLETED', 'CANCELLED', 'CLOSED'))::bigint,
                   max(updated_at)
            FROM spk_view WHERE status <> 'CANCELLED'
            """, logger: logger)
        var dashboard = Dashboard(totalSpks: 0, notStarted: 0, inProgress: 0, completed: 0, delayed: 0, byStage: [:], updatedAt: nil)
        for try await (total, notStarted, inProgress, completed, onHold, delayed, updatedAt)
            in totals.decode((Int, Int, Int, Int, Int, Int, Date?).self)
        {
            dashboard = Dashboard(
                totalSpks: total, notStarted: notStarted, inProgress: inProgress, completed: completed,
                onHold: onHold, delayed: delayed, byStage: [:], updatedAt: updatedAt)
        }
        let stages = try await connection.query(
            """
            SELECT stage, count(*)::bigint, sum(target_qty)::bigint, sum(produced_qty)::bigint
            FROM spk_view WHERE status <> 'CANCELLED' GROUP BY stage
            """, logger: logger)
        for try await (stage, spks, target, produced) in stages.decode((String, Int, Int, Int).self) {
            dashboard.byStage[stage] = StageSummary(
                spks: spks, target: target, produced: produced,
                progress: progressPercent(produced: produced, target: target))
        }
        let approvals = try await connection.query(
            """
            SELECT count(*)::bigint, count(*) FILTER (WHERE requested_at < \(approvalsWaitingSince))::bigint
            FROM approvals_view WHERE status = 'PENDING'
            """, logger: logger)
        for try await (pending, waiting) in approvals.decode((Int, Int).self) {
            dashboard.pendingApprovals = pending
            dashboard.approvalsWaitingTooLong = waiting
        }
        dashboard.health = try await healthCounts(stage: nil, health: nil)
        let urgent = try await alerts(limit: 5)
        dashboard.topAlerts = Array((urgent.critical + urgent.warning).prefix(5))
        return dashboard
    }

    // MARK: On-track status

    func onTrackStatus(_ query: GetOnTrackStatus) async throws -> OnTrackStatus {
        let counts = try await healthCounts(stage: query.stage, health: query.health)
        let rows = try await connection.query(
            """
            SELECT code, spk_id, stage, health, planned_qty, produced_qty, due_date::text, health_reason
            FROM spk_view
            WHERE health IS NOT NULL AND (\(query.stage?.rawValue)::text IS NULL OR stage = \(query.stage?.rawValue))
              AND (\(query.health?.rawValue)::text IS NULL OR health = \(query.health?.rawValue))
            ORDER BY health_rank, due_date, code
            LIMIT \(query.page.perPage) OFFSET \(query.page.offset)
            """, logger: logger)
        var details: [SPKHealthDetail] = []
        for try await (code, id, stage, health, planned, actual, due, reason)
            in rows.decode((String, UUID, String, String, Int, Int, String, String).self)
        {
            guard let stage = Stage(rawValue: stage), let health = SPKHealth(rawValue: health), let due = LocalDate(due) else { continue }
            details.append(
                SPKHealthDetail(
                    spk: code, spkId: id, stage: stage, health: health, planned: planned, actual: actual,
                    dueDate: due, reason: reason))
        }
        let total = counts.onTrack + counts.atRisk + counts.offTrack
        return OnTrackStatus(
            counts: counts,
            details: Page(
                items: details, page: query.page.page, perPage: query.page.perPage,
                total: total))
    }

    private func healthCounts(stage: Stage?, health: SPKHealth?) async throws -> HealthCounts {
        let rows = try await connection.query(
            """
            SELECT health, count(*)::bigint FROM spk_view
            WHERE health IS NOT NULL AND (\(stage?.rawValue)::text IS NULL OR stage = \(stage?.rawValue))
              AND (\(health?.rawValue)::text IS NULL OR health = \(health?.rawValue))
            GROUP BY health
            """, logger: logger)
        var counts = HealthCounts()
        for try await (health, count) in rows.decode((String, Int).self) {
            switch SPKHealth(rawValue: health) {
            case .onTrack: counts.onTrack = count
            case .atRisk: counts.atRisk = count
            case .offTrack: counts.offTrack = count
            case nil: break
            }
        }
        return counts
    }

    // MARK: Daily summary

    /// Target: each active SPK's daily rate (target / planned days) on a day of its window that it
    /// counts (a working day, or any day for a window without one); actual: good qty recorded for the date.
    func dailySummary(date: LocalDate) async throws -> DailySummary {
        let calendar = settings.rules.calendar
        var targets: [Stage: Double] = [:]
        let planned = try await connection.query(
            """
            SELECT stage, sum(target_qty::float8 / planned_days)::float8 FROM spk_view
            WHERE start_date <= \(date.description)::date AND due_date >= \(date.description)::date
              AND status <> 'CANCELLED' AND planned_days > 0
              AND (counts_calendar_days OR \(calendar.isWorkingDay(date)))
            GROUP BY stage
            """, logger: logger)
        for try await (stage, rate) in planned.decode((String, Double).self) {
            if let stage = Stage(rawValue: stage) { targets[stage] = rate }
        }
        var actuals: [Stage: Int] = [:]
        let recorded = try await connection.query(
            """
            SELECT v.stage, sum(e.qty)::bigint FROM spk_entries e JOIN spk_view v ON v.spk_id = e.spk_id
            WHERE e.entry_date = \(date.description)::date GROUP BY v.stage
            """, logger: logger)
        for try await (stage, qty) in recorded.decode((String, Int).self) {
            if let stage = Stage(rawValue: stage) { actuals[stage] = qty }
        }
        return DailySummary(
            date: date,
            byStage: Stage.defaultRoute.map {
                StageDailyFigures(stage: $0, target: Int((targets[$0] ?? 0).rounded()), actual: actuals[$0] ?? 0)
            })
    }

    // MARK: Finished goods

    func finishedGoods(date: LocalDate) async throws -> FinishedGoodsReport {
        try await WarehouseViewStore(connection: connection, logger: logger).finishedGoods(date: date)
    }

    // MARK: Alerts

    func alerts(limit: Int) async throws -> AlertList {
        var lists: [AlertSeverity: [PPICAlert]] = [:]
        var totals: [AlertSeverity: Int] = [:]
        for severity in AlertSeverity.allCases {
            let rows = try await connection.query(
                """
                SELECT type, code, spk_id, stage, since::text, message FROM spk_alerts WHERE severity = \(severity.rawValue)
                ORDER BY since, due_date, code LIMIT \(limit)
                """, logger: logger)
            for try await (type, code, id, stage, since, message) in rows.decode((String, String, UUID, String, String, String).self) {
                guard let type = AlertType(rawValue: type), let since = LocalDate(since) else { continue }
                lists[severity, default: []].append(
                    PPICAlert(
                        type: type, severity: severity, spk: code, spkId: id,
                        stage: Stage(rawValue: stage), since: since, message: message))
            }
        }
        let counts = try await connection.query("SELECT severity, count(*)::bigint FROM spk_alerts GROUP BY severity", logger: logger)
        for try await (severity, count) in counts.decode((String, Int).self) {
            if let severity = AlertSeverity(rawValue: severity) { totals[severity] = count }
        }
        let (approvals, approvalsTotal) = try await approvalsWaiting(limit: limit)
        let (debts, debtsTotal) = try await WarehouseViewStore(connection: connection, logger: logger)
            .debtsOpenTooLong(
                since: now.addingTimeInterval(-Double(settings.debtWarning.components.seconds)), now: now,
                timeZone: settings.timeZone, limit: limit)
        let (ncrs, ncrsTotal) = try await QualityViewStore(connection: connection, logger: logger)
            .escalated(timeZone: settings.timeZone, limit: limit)
        let defects = try await QualityViewStore(connection: connection, logger: logger)
            .defectShares(
                from: today.adding(days: -(settings.defectWindowDays - 1)), through: today,
                percent: settings.defectShareWarningPercent, limit: limit)
        let waiting = approvals + debts + ncrs + defects
        let waitingTotal = approvalsTotal + debtsTotal + ncrsTotal + defects.count
        // Oldest first; on the same day SPK alerts keep their order and come before approvals.
        let warning = ((lists[.warning] ?? []) + waiting).enumerated()
            .sorted { ($0.element.since, $0.offset) < ($1.element.since, $1.offset) }.map(\.element)
        return AlertList(
            critical: lists[.critical] ?? [], warning: Array(warning.prefix(limit)),
            totals: AlertTotals(critical: totals[.critical] ?? 0, warning: (totals[.warning] ?? 0) + waitingTotal))
    }

    private func approvalsWaiting(limit: Int) async throws -> ([PPICAlert], Int) {
        let rows = try await connection.query(
            """
            SELECT a.code, a.kind, a.requested_at, a.spk_id, COALESCE(a.spk_code, v.code), v.stage, count(*) OVER ()::bigint
            FROM approvals_view a LEFT JOIN spk_view v ON v.spk_id = a.spk_id
            WHERE a.status = 'PENDING' AND a.requested_at < \(approvalsWaitingSince)
            ORDER BY a.requested_at, a.code LIMIT \(limit)
            """, logger: logger)
        var alerts: [PPICAlert] = []
        var total = 0
        for try await (code, kind, requestedAt, spkId, spkCode, stage, count)
            in rows.decode((String, String, Date, UUID?, String?, String?, Int).self)
        {
            total = count
            let waited = Int(now.timeIntervalSince(requestedAt) / 3600)
            alerts.append(
                PPICAlert(
                    type: .approvalWaiting, severity: .warning, spk: spkCode, spkId: spkId, stage: stage.flatMap(Stage.init(rawValue:)),
                    since: LocalDate.of(requestedAt, in: settings.timeZone),
                    message: "\(kind) request \(code) has waited \(waited) h for a decision"))
        }
        return (alerts, total)
    }
}
