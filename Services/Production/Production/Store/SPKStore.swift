import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// The shape of an SPK row (`columns`, `spk(from:)`), and the statements daily input runs on the handler's
/// connection (inside its transaction): locking SPKs with their neighbours, writing entries and figures in one
/// combined statement. Everything else about SPKs is `PostgresSPKRepository`'s.
struct SPKStore {
    let connection: PostgresConnection
    let logger: Logger

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// On the message's open transaction.
    init(_ context: MessageContext) {
        self.init(connection: context.connection, logger: context.logger)
    }

    /// An SPK with its order's previous stage beside it (`p`), for the WIP it has passed on.
    static let from = "spks s LEFT JOIN spks p ON p.order_id = s.order_id AND p.sequence = s.sequence - 1"
    static let columns = """
        s.id, s.code, s.article_code, s.stage, s.department, s.original_qty, s.target_qty, s.produced_qty, s.reject_qty,
        s.status, s.start_date::text, s.due_date::text, s.notes, s.created_by, s.created_at, s.updated_at, s.version,
        s.order_id, o.code, s.sequence, p.produced_qty - s.produced_qty
        """
    /// `from` plus the order, for its code.
    static let source = "\(from) LEFT JOIN orders o ON o.id = s.order_id"

    typealias Neighbourhood = SPKNeighbourhood

    /// The SPK locked together with its order's previous stage (and the next one with `withNext`),
    /// locked in route order so that inputs and voids on adjacent stages never deadlock. The WIP
    /// between the stages stays as read until commit.
    func requireWithNeighbours(_ reference: String, withNext: Bool = false) async throws -> Neighbourhood {
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "s.id", codeColumn: "s.code")
        // A stand-alone SPK (no order) has no neighbours: one statement finds and locks it, and looks at no order.
        // Prepared: it is every daily input's first statement.
        var standalone = StatementBinds()
        let key =
            try UUID(uuidString: reference).map { try standalone.bind($0) }
            ?? standalone.bind(RecordReference.code(reference))
        let alone = try await connection.prepared(
            """
            SELECT \(Self.standaloneColumns) FROM spks s WHERE \(column) = \(key) AND s.order_id IS NULL FOR UPDATE
            """, standalone, logger: logger)
        if let row = alone.first { return Neighbourhood(spk: try Self.spk(from: row)) }
        // A stage of an order: it and its neighbours, locked in one statement in route order.
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH me AS (SELECT s.order_id, s.sequence FROM spks s WHERE \(column) = $1 AND s.order_id IS NOT NULL)
                    SELECT \(Self.columns), o.start_date::text FROM \(Self.source) JOIN me ON s.order_id = me.order_id
                    WHERE s.sequence BETWEEN me.sequence - 1 AND me.sequence + \(withNext ? 1 : 0)
                    ORDER BY s.sequence FOR UPDATE OF s
                    """, binds: binds), logger: logger)
        var stages: [Int: SPK] = [:]
        var orderStart: LocalDate?
        var found: SPK?
        let wantedId = UUID(uuidString: reference)
        for try await row in rows {
            let spk = try Self.spk(from: row)
            stages[spk.sequence ?? 0] = spk
            orderStart = LocalDate(try row.makeRandomAccess()[Self.extraColumn].decode(String.self))
            if wantedId.map({ $0 == spk.id }) ?? (spk.code == reference.uppercased()) { found = spk }
        }
        guard let spk = found, let sequence = spk.sequence else { throw ErrorReply.notFound("SPK \(reference)") }
        return Neighbourhood(previous: stages[sequence - 1], spk: spk, next: stages[sequence + 1], orderStart: orderStart)
    }

    /// The SPKs a batch of daily inputs names, each with its order's previous stage and the order's start.
    struct LockedStages {
        var byId: [UUID: SPK] = [:]
        var idOfCode: [String: UUID] = [:]
        var orderStart: [UUID: LocalDate] = [:]

        func id(of reference: String) -> UUID? {
            UUID(uuidString: reference) ?? idOfCode[RecordReference.code(reference)]
        }

        /// As `requireWithNeighbours` would find it, with the batch's changes so far.
        func neighbourhood(of id: UUID) -> Neighbourhood? {
            guard let spk = byId[id] else { return nil }
            guard let order = spk.orderId, let sequence = spk.sequence else { return Neighbourhood(spk: spk) }
            let previous = byId.values.first { $0.orderId == order && $0.sequence == sequence - 1 }
            return Neighbourhood(previous: previous, spk: spk, orderStart: orderStart[order])
        }
    }

    /// `requireWithNeighbours` for a batch: every SPK `references` names and its order's previous stage, locked
    /// by one statement in id order — so batches never deadlock each other — and read as of the lock.
    func lockAll(_ references: [String]) async throws -> LockedStages {
        var ids: [UUID] = []
        var codes: [String] = []
        for reference in references {
            if let id = UUID(uuidString: reference) { ids.append(id) } else { codes.append(RecordReference.code(reference)) }
        }
        var binds = StatementBinds()
        let rows = try await connection.prepared(
            """
            WITH wanted AS (SELECT id, order_id, sequence FROM spks WHERE id = ANY(\(try binds.bind(ids))) OR code = ANY(\(try binds.bind(codes))))
            SELECT \(Self.columns), o.start_date::text FROM \(Self.source)
            WHERE s.id IN (SELECT id FROM wanted)
               OR (s.order_id, s.sequence) IN (SELECT order_id, sequence - 1 FROM wanted WHERE order_id IS NOT NULL)
            ORDER BY s.id FOR UPDATE OF s
            """, binds, logger: logger)
        var locked = LockedStages()
        for row in rows {
            let spk = try Self.spk(from: row)
            locked.byId[spk.id] = spk
            locked.idOfCode[spk.code] = spk.id
            if let order = spk.orderId, let start = try row.makeRandomAccess()[Self.extraColumn].decode(String?.self).flatMap(LocalDate.init) {
                locked.orderStart[order] = start
            }
        }
        return locked
    }

    /// Many SPKs' figures and status (each SPK once, as it ends), as one part of a combined statement.
    func updateProgress(_ spks: [SPK], into write: inout CombinedWrite) throws {
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

    /// Many daily entries' rows, as one part of a combined statement.
    func insertInputs(
        _ inputs: [(id: UUID, spk: UUID, entry: DailyInputEntry, shift: Shift, recordedBy: String)],
        into write: inout CombinedWrite
    ) throws {
        struct Row: Encodable {
            var id: UUID, spk: UUID, date: String, qty: Int, rejected: Int, shift: String
            var operatorId: String?, notes: String?, clientEntryId: String?, recordedBy: String
        }
        let rows = inputs.map {
            Row(
                id: $0.id, spk: $0.spk, date: $0.entry.date.description, qty: $0.entry.qty, rejected: $0.entry.rejectQty,
                shift: $0.shift.rawValue, operatorId: $0.entry.operatorId, notes: $0.entry.notes, clientEntryId: $0.entry.clientEntryId,
                recordedBy: $0.recordedBy)
        }
        write.add(
            """
            INSERT INTO daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, operator_id, notes, client_entry_id, recorded_by)
            SELECT id, spk, date::date, qty, rejected, shift, "operatorId", notes, "clientEntryId", "recordedBy"
            FROM jsonb_to_recordset(\(try write.bind(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)))::jsonb)
                 AS r(id uuid, spk uuid, date text, qty integer, rejected integer, shift text, "operatorId" text, notes text,
                      "clientEntryId" text, "recordedBy" text)
            """)
    }

    /// `columns` of an SPK without an order (no order code, no previous stage).
    static let standaloneColumns = """
        s.id, s.code, s.article_code, s.stage, s.department, s.original_qty, s.target_qty, s.produced_qty, s.reject_qty,
        s.status, s.start_date::text, s.due_date::text, s.notes, s.created_by, s.created_at, s.updated_at, s.version,
        s.order_id, NULL::text, s.sequence, NULL::bigint
        """

    /// What a recorded entry was (its SPK by id and code, date and quantities): a repeated `client_entry_id`
    /// must carry the same entry to be its duplicate.
    func recordedEntry(_ id: UUID) async throws -> (spkId: UUID, spkCode: String, date: LocalDate, qty: Int, rejectQty: Int)? {
        let rows = try await connection.query(
            """
            SELECT d.spk_id, s.code, d.input_date::text, d.qty, d.reject_qty
            FROM daily_inputs d JOIN spks s ON s.id = d.spk_id WHERE d.id = \(id)
            """, logger: logger)
        for try await (spk, code, date, qty, rejects) in rows.decode((UUID, String, String, Int, Int).self) {
            guard let day = LocalDate(date) else { return nil }
            return (spk, code, day, qty, rejects)
        }
        return nil
    }

    static func binds<each V: PostgresEncodable & Sendable>(_ value: repeat each V) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in repeat each value { try binds.append(value) }
        return binds
    }

    /// Decodes `columns`, the first columns of the row (a query may select more after them).
    static func spk(from row: PostgresRow) throws -> SPK {
        let cells = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T { try cells[index].decode(T.self) }
        let produced: Int = try cell(7)
        let target: Int = try cell(6)
        return SPK(
            id: try cell(0), code: try cell(1), articleCode: try cell(2), stage: Stage(rawValue: try cell(3)) ?? .cutting,
            department: Department(rawValue: try cell(4)) ?? .cutting, originalQty: try cell(5), targetQty: target,
            producedQty: produced, rejectQty: try cell(8), progress: progressPercent(produced: produced, target: target),
            status: SPKStatus(rawValue: try cell(9)) ?? .notStarted, startDate: LocalDate(try cell(10))!,
            dueDate: LocalDate(try cell(11))!, notes: try cell(12), createdBy: try cell(13), createdAt: try cell(14),
            updatedAt: try cell(15), version: try cell(16), orderId: try cell(17), orderCode: try cell(18),
            sequence: try cell(19), availableWip: try cell(20, Int?.self).map { max(0, $0) })
    }

    /// Columns after `columns`: the first extra one is at this index.
    static let extraColumn = 21
}
