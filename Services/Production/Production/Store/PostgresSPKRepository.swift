import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// SPKs in schema `production`, on the message's transaction. Rows are read as `SPKRows` describes.
struct PostgresSPKRepository: SPKRepository {
    func nextCode(on day: LocalDate, in context: MessageContext) async throws -> String {
        SPKRules.code(
            day: day,
            sequence: try await DayCounter.next(
                in: "spk_code_counters", day: day, on: context.connection,
                logger: context.logger))
    }

    func insert(_ spk: SPK, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO spks (id, code, article_code, stage, department, original_qty, target_qty, produced_qty, reject_qty,
                              status, start_date, due_date, notes, created_by, created_at, updated_at, version, order_id, sequence)
            VALUES (\(spk.id), \(spk.code), \(spk.articleCode), \(spk.stage.rawValue), \(spk.department.rawValue),
                    \(spk.originalQty), \(spk.targetQty), \(spk.producedQty), \(spk.rejectQty), \(spk.status.rawValue),
                    \(spk.startDate.description)::date, \(spk.dueDate.description)::date, \(spk.notes), \(spk.createdBy),
                    \(spk.createdAt), \(spk.updatedAt), \(spk.version), \(spk.orderId), \(spk.sequence))
            """, logger: context.logger)
    }

    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> SPK? {
        let suffix = lock ? " FOR UPDATE OF s" : ""
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "s.id", codeColumn: "s.code")
        return try await spks(
            PostgresQuery(unsafeSQL: "SELECT \(SPKRows.columns) FROM \(SPKRows.source) WHERE \(column) = $1\(suffix)", binds: binds),
            in: context
        ).first
    }

    func list(_ query: ListSPKs, in context: MessageContext) async throws -> Page<SPK> {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func add(_ condition: String, _ value: String) {
            binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let status = query.status { add("s.status = ?", status.rawValue) }
        if let stage = query.stage { add("s.stage = ?", stage.rawValue) }
        if let department = query.department { add("s.department = ?", department.rawValue) }
        if let before = query.dueBefore { add("s.due_date < ?::date", before.description) }
        if let after = query.dueAfter { add("s.due_date > ?::date", after.description) }
        if let order = query.order {
            if let id = UUID(uuidString: order) {
                add("s.order_id = ?::uuid", id.uuidString)
            } else {
                add("s.order_id = (SELECT id FROM orders WHERE code = ?)", order.uppercased())
            }
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = try await count(PostgresQuery(unsafeSQL: "SELECT count(*) FROM spks s \(filter)", binds: binds), in: context)
        binds.append(query.page.perPage)
        binds.append(query.page.offset)
        let items = try await spks(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(SPKRows.columns) FROM \(SPKRows.source) \(filter) ORDER BY s.due_date, s.code LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
                    """, binds: binds), in: context)
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    func open(department: Department, in context: MessageContext) async throws -> [SPK] {
        try await spks(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(SPKRows.columns) FROM \(SPKRows.source) WHERE s.department = $1 AND s.status IN ('NOT_STARTED', 'IN_PROGRESS')
                    ORDER BY s.due_date, s.code
                    """, binds: try SPKRows.binds(department.rawValue)), in: context)
    }

    func updateStatus(_ spk: SPK, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE spks SET status = \(spk.status.rawValue), updated_at = \(spk.updatedAt), version = \(spk.version),
                            change_seq = nextval('spk_changes')
            WHERE id = \(spk.id)
            """, logger: context.logger)
    }

    func updateTarget(_ spk: SPK, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE spks SET target_qty = \(spk.targetQty), status = \(spk.status.rawValue), updated_at = \(spk.updatedAt),
                            version = \(spk.version), change_seq = nextval('spk_changes')
            WHERE id = \(spk.id)
            """, logger: context.logger)
    }

    /// The statement daily input writes its SPKs' figures with, for one SPK.
    func updateProgress(_ spk: SPK, in context: MessageContext) async throws {
        var write = CombinedWrite()
        try Self.updateProgress([spk], into: &write)
        try await write.run(context)
    }

    /// Many SPKs' figures and status (each SPK once, as it ends), as one part of a combined statement.
    static func updateProgress(_ spks: [SPK], into write: inout CombinedWrite) throws {
        struct Row: Encodable { var id: UUID, produced: Int, rejected: Int, status: String, updated: Double, version: Int }
        let rows = spks.map {
            Row(
                id: $0.id, produced: $0.producedQty, rejected: $0.rejectQty, status: $0.status.rawValue,
                updated: $0.updatedAt.timeIntervalSince1970, version: $0.version)
        }
        write.add(
            """
            UPDATE spks SET produced_qty = u.produced, reject_qty = u.rejected, status = u.status, updated_at = to_timestamp(u.updated),
                            version = u.version, change_seq = nextval('spk_changes')
            FROM jsonb_to_recordset(\(try write.bind(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)))::jsonb)
                 AS u(id uuid, produced bigint, rejected bigint, status text, updated double precision, version integer)
            WHERE spks.id = u.id
            """)
    }

    func targetChanges(of spk: UUID, in context: MessageContext) async throws -> [TargetChange] {
        let rows = try await context.connection.query(
            """
            SELECT approval_id, approval_code, old_qty, new_qty, approved_by, changed_at FROM spk_target_changes
            WHERE spk_id = \(spk) ORDER BY changed_at
            """, logger: context.logger)
        var changes: [TargetChange] = []
        for try await (id, code, old, new, by, at) in rows.decode((UUID, String, Int, Int, String, Date).self) {
            changes.append(TargetChange(approvalId: id, approvalCode: code, oldQty: old, newQty: new, approvedBy: by, changedAt: at))
        }
        return changes
    }

    func recordTargetChange(_ change: TargetChange, spk: UUID, in context: MessageContext) async throws -> Bool {
        let rows = try await context.connection.query(
            """
            INSERT INTO spk_target_changes (approval_id, approval_code, spk_id, old_qty, new_qty, approved_by, changed_at)
            VALUES (\(change.approvalId), \(change.approvalCode), \(spk), \(change.oldQty), \(change.newQty), \(change.approvedBy),
                    \(change.changedAt))
            ON CONFLICT (approval_id) DO NOTHING RETURNING 1
            """, logger: context.logger)
        for try await _ in rows { return true }
        return false
    }

    /// The SPKs a query selecting `SPKRows.columns` first returns, in its order.
    func spks(_ query: PostgresQuery, in context: MessageContext) async throws -> [SPK] {
        var items: [SPK] = []
        for try await row in try await context.connection.query(query, logger: context.logger) { items.append(try SPKRows.spk(from: row)) }
        return items
    }

    private func count(_ query: PostgresQuery, in context: MessageContext) async throws -> Int {
        for try await value in try await context.connection.query(query, logger: context.logger).decode(Int.self) { return value }
        return 0
    }
}
