import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Production's tables, queried on the handler's connection (inside its transaction).
struct SPKStore {
    let connection: PostgresConnection
    let logger: Logger

    private static let columns = """
        id, code, article_code, stage, department, original_qty, target_qty, produced_qty, reject_qty, status,
        start_date::text, due_date::text, notes, created_by, created_at, updated_at, version
        """

    /// The next code of `day`, unique across instances (the counter row is locked until commit).
    func nextCode(on day: LocalDate) async throws -> String {
        let rows = try await connection.query("""
            INSERT INTO spk_code_counters (day, last) VALUES (\(day.description)::date, 1)
            ON CONFLICT (day) DO UPDATE SET last = spk_code_counters.last + 1 RETURNING last
            """, logger: logger)
        for try await sequence in rows.decode(Int.self) { return SPKRules.code(day: day, sequence: sequence) }
        throw ErrorReply(.internalError, "no SPK code could be drawn")
    }

    func insert(_ spk: SPK) async throws {
        try await connection.query("""
            INSERT INTO spks (id, code, article_code, stage, department, original_qty, target_qty, produced_qty, reject_qty,
                              status, start_date, due_date, notes, created_by, created_at, updated_at, version)
            VALUES (\(spk.id), \(spk.code), \(spk.articleCode), \(spk.stage.rawValue), \(spk.department.rawValue),
                    \(spk.originalQty), \(spk.targetQty), \(spk.producedQty), \(spk.rejectQty), \(spk.status.rawValue),
                    \(spk.startDate.description)::date, \(spk.dueDate.description)::date, \(spk.notes), \(spk.createdBy),
                    \(spk.createdAt), \(spk.updatedAt), \(spk.version))
            """, logger: logger)
    }

    /// By id or by code; `lock` holds the row until the transaction ends (inputs serialise per SPK).
    func find(_ reference: String, lock: Bool = false) async throws -> SPK? {
        let suffix = lock ? " FOR UPDATE" : ""
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "id")
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM spks WHERE \(column) = $1\(suffix)", binds: binds), logger: logger)
        for try await row in rows { return try Self.spk(from: row) }
        return nil
    }

    func require(_ reference: String, lock: Bool = false) async throws -> SPK {
        guard let spk = try await find(reference, lock: lock) else { throw ErrorReply.notFound("SPK \(reference)") }
        return spk
    }

    func updateProgress(_ spk: SPK) async throws {
        try await connection.query("""
            UPDATE spks SET produced_qty = \(spk.producedQty), reject_qty = \(spk.rejectQty), status = \(spk.status.rawValue),
                            updated_at = \(spk.updatedAt), version = \(spk.version)
            WHERE id = \(spk.id)
            """, logger: logger)
    }

    func insertInput(id: UUID, spk: SPK, entry: DailyInputEntry, shift: Shift, recordedBy: String) async throws {
        try await connection.query("""
            INSERT INTO daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, operator_id, notes, client_entry_id, recorded_by)
            VALUES (\(id), \(spk.id), \(entry.date.description)::date, \(entry.qty), \(entry.rejectQty), \(shift.rawValue),
                    \(entry.operatorId), \(entry.notes), \(entry.clientEntryId), \(recordedBy))
            """, logger: logger)
    }

    func list(_ query: ListSPKs) async throws -> Page<SPK> {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func add(_ condition: String, _ value: String) throws {
            try binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let status = query.status { try add("status = ?", status.rawValue) }
        if let stage = query.stage { try add("stage = ?", stage.rawValue) }
        if let department = query.department { try add("department = ?", department.rawValue) }
        if let before = query.dueBefore { try add("due_date < ?::date", before.description) }
        if let after = query.dueAfter { try add("due_date > ?::date", after.description) }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = try await count(PostgresQuery(unsafeSQL: "SELECT count(*) FROM spks \(filter)", binds: binds))
        try binds.append(query.page.perPage)
        try binds.append(query.page.offset)
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM spks \(filter) ORDER BY due_date, code LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
            """, binds: binds), logger: logger)
        var items: [SPK] = []
        for try await row in rows { items.append(try Self.spk(from: row)) }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    func open(department: Department) async throws -> [SPK] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM spks WHERE department = $1 AND status IN ('NOT_STARTED', 'IN_PROGRESS')
            ORDER BY due_date, code
            """, binds: try Self.binds(department.rawValue)), logger: logger)
        var items: [SPK] = []
        for try await row in rows { items.append(try Self.spk(from: row)) }
        return items
    }

    /// Good and rejected output per date, several entries on one date summed.
    func dailyTotals(of spk: UUID) async throws -> [(date: LocalDate, qty: Int, rejectQty: Int)] {
        let rows = try await connection.query("""
            SELECT input_date::text, sum(qty)::int, sum(reject_qty)::int FROM daily_inputs
            WHERE spk_id = \(spk) GROUP BY input_date ORDER BY input_date
            """, logger: logger)
        var days: [(LocalDate, Int, Int)] = []
        for try await (date, qty, rejects) in rows.decode((String, Int, Int).self) {
            days.append((LocalDate(date)!, qty, rejects))
        }
        return days
    }

    func targetChanges(of spk: UUID) async throws -> [TargetChange] {
        let rows = try await connection.query("""
            SELECT approval_id, approval_code, old_qty, new_qty, approved_by, changed_at FROM spk_target_changes
            WHERE spk_id = \(spk) ORDER BY changed_at
            """, logger: logger)
        var changes: [TargetChange] = []
        for try await (id, code, old, new, by, at) in rows.decode((UUID, String, Int, Int, String, Date).self) {
            changes.append(TargetChange(approvalId: id, approvalCode: code, oldQty: old, newQty: new, approvedBy: by, changedAt: at))
        }
        return changes
    }

    /// Records an applied change; false if this approval was applied before.
    func recordTargetChange(_ change: TargetChange, spk: UUID) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO spk_target_changes (approval_id, approval_code, spk_id, old_qty, new_qty, approved_by, changed_at)
            VALUES (\(change.approvalId), \(change.approvalCode), \(spk), \(change.oldQty), \(change.newQty), \(change.approvedBy),
                    \(change.changedAt))
            ON CONFLICT (approval_id) DO NOTHING RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    func updateTarget(_ spk: SPK) async throws {
        try await connection.query("""
            UPDATE spks SET target_qty = \(spk.targetQty), status = \(spk.status.rawValue), updated_at = \(spk.updatedAt),
                            version = \(spk.version)
            WHERE id = \(spk.id)
            """, logger: logger)
    }

    struct StoredInput {
        var id: UUID
        var spkId: UUID
        var date: String
        var qty: Int
        var rejectQty: Int
        var shift: String
        var voided: Bool
        var isReversal: Bool
    }

    /// A daily entry, locked until the transaction ends (two voids at once: one wins).
    func input(_ id: UUID) async throws -> StoredInput? {
        let rows = try await connection.query("""
            SELECT id, spk_id, input_date::text, qty, reject_qty, shift, voided_at IS NOT NULL, reverses IS NOT NULL
            FROM daily_inputs WHERE id = \(id) FOR UPDATE
            """, logger: logger)
        for try await (id, spk, date, qty, rejects, shift, voided, reversal)
            in rows.decode((UUID, UUID, String, Int, Int, String, Bool, Bool).self) {
            return StoredInput(id: id, spkId: spk, date: date, qty: qty, rejectQty: rejects, shift: shift, voided: voided,
                               isReversal: reversal)
        }
        return nil
    }

    func recordReversal(of input: StoredInput, id: UUID, reason: String, by actor: String) async throws {
        try await connection.query("""
            INSERT INTO daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, notes, recorded_by, reverses)
            VALUES (\(id), \(input.spkId), \(input.date)::date, \(-input.qty), \(-input.rejectQty), \(input.shift),
                    \("void: " + reason), \(actor), \(input.id))
            """, logger: logger)
        try await connection.query("""
            UPDATE daily_inputs SET voided_at = now(), voided_by = \(actor), void_reason = \(reason) WHERE id = \(input.id)
            """, logger: logger)
    }

    func updateStatus(_ spk: SPK) async throws {
        try await connection.query("""
            UPDATE spks SET status = \(spk.status.rawValue), updated_at = \(spk.updatedAt), version = \(spk.version) WHERE id = \(spk.id)
            """, logger: logger)
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        for try await value in try await connection.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    private static func binds(_ value: some PostgresEncodable & Sendable) throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.append(value)
        return binds
    }

    private static func spk(from row: PostgresRow) throws -> SPK {
        let (id, code, article, stage, department, original, target, produced, rejects, status, start, due, notes,
             createdBy, createdAt, updatedAt, version) = try row.decode(
                (UUID, String, String, String, String, Int, Int, Int, Int, String, String, String, String?, String, Date, Date,
                 Int).self)
        return SPK(id: id, code: code, articleCode: article, stage: Stage(rawValue: stage) ?? .cutting,
                   department: Department(rawValue: department) ?? .cutting, originalQty: original, targetQty: target,
                   producedQty: produced, rejectQty: rejects, progress: progressPercent(produced: produced, target: target),
                   status: SPKStatus(rawValue: status) ?? .notStarted, startDate: LocalDate(start)!, dueDate: LocalDate(due)!,
                   notes: notes, createdBy: createdBy, createdAt: createdAt, updatedAt: updatedAt, version: version)
    }
}
