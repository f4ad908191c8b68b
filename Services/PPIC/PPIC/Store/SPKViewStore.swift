import Contracts
import Foundation
import Logging
import PostgresNIO

/// PPIC's copy of Production's SPKs and daily entries. Everything is written in bulk (an event is a
/// batch of one), so the live stream and a rebuild share one version-guarded path.
struct SPKViewStore {
    let connection: PostgresConnection
    let logger: Logger

    /// Keeps the newest state of each SPK; an older or replayed state changes nothing.
    func upsert(_ spks: [SPK], calendar: WorkingCalendar) async throws {
        guard !spks.isEmpty else { return }
        let windows = spks.map { PlanWindow(start: $0.startDate, due: $0.dueDate, calendar: calendar) }
        try await connection.query(
            """
            INSERT INTO spk_view (spk_id, code, stage, department, target_qty, produced_qty, reject_qty, status, start_date,
                                  due_date, version, updated_at, order_id, order_code, sequence, planned_days,
                                  counts_calendar_days)
            SELECT s.spk_id, s.code, s.stage, s.department, s.target_qty, s.produced_qty, s.reject_qty, s.status,
                   s.start_date::date, s.due_date::date, s.version, s.updated_at, NULLIF(s.order_id, '')::uuid,
                   NULLIF(s.order_code, ''), NULLIF(s.sequence, '')::integer, s.planned_days, s.counts_calendar_days
            FROM unnest(\(spks.map(\.id)), \(spks.map(\.code)), \(spks.map(\.stage.rawValue)), \(spks.map(\.department.rawValue)),
                        \(spks.map(\.targetQty))::bigint[], \(spks.map(\.producedQty))::bigint[], \(spks.map(\.rejectQty))::bigint[],
                        \(spks.map(\.status.rawValue)), \(spks.map(\.startDate.description)), \(spks.map(\.dueDate.description)),
                        \(spks.map(\.version))::bigint[], \(spks.map(\.updatedAt)),
                        \(spks.map { $0.orderId?.uuidString ?? "" }), \(spks.map { $0.orderCode ?? "" }),
                        \(spks.map { $0.sequence.map(String.init) ?? "" }), \(windows.map(\.days))::bigint[],
                        \(windows.map(\.countsCalendarDays)))
                AS s(spk_id, code, stage, department, target_qty, produced_qty, reject_qty, status, start_date, due_date,
                     version, updated_at, order_id, order_code, sequence, planned_days, counts_calendar_days)
            ON CONFLICT (spk_id) DO UPDATE SET
                target_qty = EXCLUDED.target_qty, produced_qty = EXCLUDED.produced_qty, reject_qty = EXCLUDED.reject_qty,
                status = EXCLUDED.status, start_date = EXCLUDED.start_date, due_date = EXCLUDED.due_date,
                version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
                order_id = COALESCE(EXCLUDED.order_id, spk_view.order_id),
                order_code = COALESCE(EXCLUDED.order_code, spk_view.order_code),
                sequence = COALESCE(EXCLUDED.sequence, spk_view.sequence),
                planned_days = EXCLUDED.planned_days, counts_calendar_days = EXCLUDED.counts_calendar_days
            WHERE spk_view.version < EXCLUDED.version
            """, logger: logger)
    }

    /// Entries (and reversals) by Production's id: one already stored is left as it is.
    func record(_ entries: [RecordedEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await connection.prepared(
            """
            INSERT INTO spk_entries (entry_id, spk_id, entry_date, qty, reject_qty)
            SELECT e.entry_id, e.spk_id, e.entry_date::date, e.qty, e.reject_qty
            FROM unnest(\(entries.map(\.id)), \(entries.map(\.spkId)), \(entries.map(\.date.description)),
                        \(entries.map(\.qty))::bigint[], \(entries.map(\.rejectQty))::bigint[])
                AS e(entry_id, spk_id, entry_date, qty, reject_qty)
            ON CONFLICT (entry_id) DO NOTHING
            """, logger: logger)
    }

    /// The SPK of the stage after `spk` in its order, whose WIP depends on `spk`'s output.
    func nextStage(after spk: SPK) async throws -> UUID? {
        guard let order = spk.orderId, let sequence = spk.sequence else { return nil }
        let rows = try await connection.query(
            """
            SELECT spk_id FROM spk_view WHERE order_id = \(order) AND sequence > \(sequence) ORDER BY sequence LIMIT 1
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    /// Locks the rows of `ids` in id order. Every writer of health locks this way before it reads
    /// (a sweep locks all unfinished SPKs), so writers wait for each other but never deadlock.
    @discardableResult
    func lock(_ ids: [UUID]) async throws -> [UUID] {
        try await connection.prepared("SELECT spk_id FROM spk_view WHERE spk_id = ANY(\(ids)) ORDER BY spk_id FOR UPDATE", logger: logger)
            .map { try $0.decode(UUID.self) }
    }

    /// Locks every unfinished SPK, in id order; returns their ids.
    func lockUnfinished() async throws -> [UUID] {
        try await lockedIds(
            """
            SELECT spk_id FROM spk_view WHERE status IN ('NOT_STARTED', 'IN_PROGRESS', 'ON_HOLD') ORDER BY spk_id FOR UPDATE
            """)
    }

    private func lockedIds(_ query: PostgresQuery) async throws -> [UUID] {
        var ids: [UUID] = []
        for try await id in try await connection.query(query, logger: logger).decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// The reversal of a stored entry, for a void event from before events carried their reversal.
    func recordReversal(of entry: UUID, id: UUID) async throws {
        try await connection.query(
            """
            INSERT INTO spk_entries (entry_id, spk_id, entry_date, qty, reject_qty)
            SELECT \(id), spk_id, entry_date, -qty, -reject_qty FROM spk_entries WHERE entry_id = \(entry)
            ON CONFLICT (entry_id) DO NOTHING
            """, logger: logger)
    }

    /// Recomputes every SPK's plan window, for when the working days changed.
    func replanAll(calendar: WorkingCalendar) async throws {
        let rows = try await connection.query("SELECT spk_id, start_date::text, due_date::text FROM spk_view", logger: logger)
        var ids: [UUID] = []
        var days: [Int] = []
        var calendarDays: [Bool] = []
        for try await (id, start, due) in rows.decode((UUID, String, String).self) {
            guard let start = LocalDate(start), let due = LocalDate(due) else { continue }
            let window = PlanWindow(start: start, due: due, calendar: calendar)
            ids.append(id)
            days.append(window.days)
            calendarDays.append(window.countsCalendarDays)
        }
        try await connection.query(
            """
            UPDATE spk_view v SET planned_days = w.days, counts_calendar_days = w.calendar_days
            FROM unnest(\(ids), \(days)::bigint[], \(calendarDays)) AS w(spk_id, days, calendar_days)
            WHERE v.spk_id = w.spk_id
            """, logger: logger)
    }
}
