import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Quality's schema: defect codes, the line's entries and defects (from Production's events),
/// inspection lots and NCRs (stored whole, with the columns queries need).
struct QualityStore {
    let connection: PostgresConnection
    let logger: Logger

    static func json(_ value: some Encodable) throws -> String { String(decoding: try StitchJSON.encode(value), as: UTF8.self) }

    // MARK: Defect codes

    private static let codeColumns = "code, stage, name, severity, active, version, updated_at"

    private func codes(_ rows: PostgresRowSequence) async throws -> [DefectCode] {
        var result: [DefectCode] = []
        for try await (code, stage, name, severity, active, version, updated) in rows.decode((String, String, String, String, Bool, Int, Date).self) {
            result.append(
                DefectCode(
                    code: code, stage: Stage(rawValue: stage) ?? .sewing, name: name,
                    severity: DefectSeverity(rawValue: severity) ?? .minor, active: active, version: version, updatedAt: updated))
        }
        return result
    }

    func code(_ code: String, lock: Bool = false) async throws -> DefectCode? {
        var binds = PostgresBindings()
        binds.append(code.trimmingCharacters(in: .whitespaces).uppercased())
        return try await codes(
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "SELECT \(Self.codeColumns) FROM defect_codes WHERE code = $1\(lock ? " FOR UPDATE" : "")", binds: binds),
                logger: logger)
        ).first
    }

    /// Inserts or replaces a code (its version one up); it is announced in the same transaction.
    func save(_ code: DefectCode) async throws {
        try await connection.query(
            """
            INSERT INTO defect_codes (code, stage, name, severity, active, version, announced, updated_at)
            VALUES (\(code.code), \(code.stage.rawValue), \(code.name), \(code.severity.rawValue), \(code.active), \(code.version), true,
                    \(code.updatedAt))
            ON CONFLICT (code) DO UPDATE SET stage = EXCLUDED.stage, name = EXCLUDED.name, severity = EXCLUDED.severity,
                active = EXCLUDED.active, version = EXCLUDED.version, announced = true, updated_at = EXCLUDED.updated_at
            """, logger: logger)
    }

    func listCodes(stage: Stage?, active: Bool?, page: PageRequest) async throws -> Page<DefectCode> {
        let stages = stage.map { [$0.rawValue] } ?? Stage.allCases.map(\.rawValue)
        let actives = active.map { [$0] } ?? [true, false]
        var total = 0
        for try await count in try await connection.query(
            "SELECT count(*)::bigint FROM defect_codes WHERE stage = ANY(\(stages)) AND active = ANY(\(actives))", logger: logger
        ).decode(Int.self) {
            total = count
        }
        let items = try await codes(
            try await connection.query(
                """
                SELECT code, stage, name, severity, active, version, updated_at FROM defect_codes
                WHERE stage = ANY(\(stages)) AND active = ANY(\(actives))
                ORDER BY array_position(ARRAY['CUTTING','EMBROIDERY','SEWING','FINISHING','PACKING'], stage), code
                LIMIT \(page.perPage) OFFSET \(page.offset)
                """, logger: logger))
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    func allCodes() async throws -> [String: DefectCode] {
        let list = try await codes(try await connection.query("SELECT \(unescaped: Self.codeColumns) FROM defect_codes", logger: logger))
        return Dictionary(uniqueKeysWithValues: list.map { ($0.code, $0) })
    }

    /// Codes not yet announced (seeded by a migration), locked so that one instance announces each.
    func unannouncedCodes(limit: Int = 100) async throws -> [DefectCode] {
        try await codes(
            try await connection.query(
                """
                SELECT code, stage, name, severity, active, version, updated_at FROM defect_codes
                WHERE NOT announced ORDER BY code LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: logger))
    }

    func markAnnounced(_ code: String) async throws {
        try await connection.query("UPDATE defect_codes SET announced = true WHERE code = \(code)", logger: logger)
    }

    // MARK: The line's entries and defects

    func recordEntry(_ event: DailyInputRecorded) async throws {
        try await recordEntries([event])
    }

    /// The line's entries and their defects, one statement for any number of them (a batch of events).
    func recordEntries(_ events: [DailyInputRecorded]) async throws {
        struct Entry: Encodable { var id: UUID, spk: String, stage: String, article: String, day: String, qty: Int, rejected: Int }
        struct Defect: Encodable { var id: UUID, code: String, qty: Int }
        let entries = events.map {
            Entry(
                id: $0.entryId, spk: $0.spk.code, stage: $0.spk.stage.rawValue, article: $0.spk.articleCode.uppercased(),
                day: $0.entry.date.description, qty: $0.entry.qty, rejected: $0.entry.rejectQty)
        }
        let defects = events.flatMap { event in (event.entry.defects ?? []).map { Defect(id: event.entryId, code: $0.code.uppercased(), qty: $0.qty) }
        }
        var binds = StatementBinds()
        let sql = """
            WITH entries AS (
                INSERT INTO line_entries (entry_id, spk_code, stage, article_code, day, qty, reject_qty)
                SELECT id, spk, stage, article, day::date, qty, rejected
                FROM jsonb_to_recordset(\(try binds.bind(String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)))::jsonb)
                     AS r(id uuid, spk text, stage text, article text, day text, qty integer, rejected integer)
                ON CONFLICT (entry_id) DO NOTHING)
            INSERT INTO line_defects (entry_id, code, qty)
            SELECT id, code, qty
            FROM jsonb_to_recordset(\(try binds.bind(String(decoding: try JSONEncoder().encode(defects), as: UTF8.self)))::jsonb)
                 AS r(id uuid, code text, qty integer)
            ON CONFLICT (entry_id, code) DO NOTHING
            """
        try await connection.prepared(sql, binds, logger: logger)
    }

    func voidEntry(_ entryId: UUID) async throws {
        try await connection.query("UPDATE line_entries SET voided = true WHERE entry_id = \(entryId)", logger: logger)
    }

    func pareto(_ query: GetDefectPareto) async throws -> DefectPareto {
        let stages = query.stage.map { [$0.rawValue] } ?? Stage.allCases.map(\.rawValue)
        let from = (query.from ?? LocalDate("1970-01-01")!).description
        let to = (query.to ?? LocalDate("9999-12-31")!).description
        let article = query.articleCode?.trimmingCharacters(in: .whitespaces).uppercased()
        var output = 0
        for try await total in try await connection.query(
            """
            SELECT coalesce(sum(qty + reject_qty), 0)::bigint FROM line_entries
            WHERE NOT voided AND stage = ANY(\(stages)) AND day BETWEEN \(from)::date AND \(to)::date
              AND (\(article)::text IS NULL OR article_code = \(article))
            """, logger: logger
        ).decode(Int64.self) {
            output = Int(total)
        }
        let rows = try await connection.query(
            """
            SELECT d.code, coalesce(c.name, d.code), coalesce(c.stage, min(e.stage)), coalesce(c.severity, 'MINOR'), sum(d.qty)::bigint
            FROM line_defects d JOIN line_entries e ON e.entry_id = d.entry_id LEFT JOIN defect_codes c ON c.code = d.code
            WHERE NOT e.voided AND e.stage = ANY(\(stages)) AND e.day BETWEEN \(from)::date AND \(to)::date
              AND (\(article)::text IS NULL OR e.article_code = \(article))
            GROUP BY d.code, c.name, c.stage, c.severity
            ORDER BY sum(d.qty) DESC, d.code
            LIMIT 200
            """, logger: logger)
        var counted: [(String, String, String, String, Int)] = []
        for try await (code, name, stage, severity, qty) in rows.decode((String, String, String, String, Int64).self) {
            counted.append((code, name, stage, severity, Int(qty)))
        }
        return ParetoRules.rank(
            counted.map {
                ParetoRules.Count(
                    code: $0.0, name: $0.1, stage: Stage(rawValue: $0.2) ?? .sewing,
                    severity: DefectSeverity(rawValue: $0.3) ?? .minor, qty: $0.4)
            },
            output: output)
    }

    // MARK: Inspections

    func insert(_ inspection: Inspection) async throws {
        try await connection.query(
            """
            INSERT INTO inspections (id, code, order_code, status, created_at, document)
            VALUES (\(inspection.id), \(inspection.code), \(inspection.orderCode), \(inspection.status.rawValue), \(inspection.createdAt),
                    \(try Self.json(inspection))::jsonb)
            """, logger: logger)
        for carton in inspection.cartons {
            try await connection.query(
                "INSERT INTO inspection_cartons (carton_id, inspection_id) VALUES (\(carton.cartonId), \(inspection.id))", logger: logger)
        }
    }

    func update(_ inspection: Inspection) async throws {
        try await connection.query(
            """
            UPDATE inspections SET status = \(inspection.status.rawValue), document = \(try Self.json(inspection))::jsonb
            WHERE id = \(inspection.id)
            """, logger: logger)
        if inspection.status == .failed {
            try await connection.query("UPDATE inspection_cartons SET active = false WHERE inspection_id = \(inspection.id)", logger: logger)
        }
    }

    /// The live lot (OPEN or PASSED) a carton is in.
    func liveLot(of carton: UUID) async throws -> String? {
        let rows = try await connection.query(
            """
            SELECT i.code FROM inspection_cartons c JOIN inspections i ON i.id = c.inspection_id WHERE c.carton_id = \(carton) AND c.active
            """, logger: logger)
        for try await code in rows.decode(String.self) { return code }
        return nil
    }

    /// The carton was in a lot that FAILED (so it may be re-inspected out of QUARANTINE).
    func wasInFailedLot(_ carton: UUID) async throws -> Bool {
        for try await _ in try await connection.query(
            """
            SELECT 1 FROM inspection_cartons c JOIN inspections i ON i.id = c.inspection_id
            WHERE c.carton_id = \(carton) AND i.status = 'FAILED' LIMIT 1
            """, logger: logger)
        { return true }
        return false
    }

    func inspection(_ reference: String, lock: Bool = false) async throws -> Inspection? {
        try await connection.document(Inspection.self, in: "inspections", reference: reference, lock: lock, logger: logger)
    }

    /// The inspection `reference` names, or NOT_FOUND.
    func requireInspection(_ reference: String, lock: Bool = false) async throws -> Inspection {
        guard let inspection = try await inspection(reference, lock: lock) else { throw ErrorReply.notFound("Inspection \(reference)") }
        return inspection
    }

    // MARK: NCRs

    func insert(_ ncr: NCR) async throws {
        try await connection.query(
            """
            INSERT INTO ncrs (id, code, status, escalate_at, opened_at, document)
            VALUES (\(ncr.id), \(ncr.code), \(ncr.status.rawValue), \(ncr.escalateAt), \(ncr.openedAt), \(try Self.json(ncr))::jsonb)
            """, logger: logger)
    }

    func update(_ ncr: NCR) async throws {
        try await connection.query(
            """
            UPDATE ncrs SET status = \(ncr.status.rawValue), document = \(try Self.json(ncr))::jsonb WHERE id = \(ncr.id)
            """, logger: logger)
    }

    func ncr(_ reference: String, lock: Bool = false) async throws -> NCR? {
        try await connection.document(NCR.self, in: "ncrs", reference: reference, lock: lock, logger: logger)
    }

    func ncrs(status: NCRStatus?, page: PageRequest) async throws -> Page<NCR> {
        let statuses = status.map { [$0.rawValue] } ?? NCRStatus.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await connection.query(
            "SELECT count(*)::bigint FROM ncrs WHERE status = ANY(\(statuses))",
            logger: logger
        ).decode(Int.self) { total = count }
        var items: [NCR] = []
        for try await document in try await connection.query(
            """
            SELECT document::text FROM ncrs WHERE status = ANY(\(statuses)) ORDER BY opened_at DESC, code DESC
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger
        ).decode(String.self) {
            items.append(try StitchJSON.decode(NCR.self, from: Array(document.utf8)))
        }
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    /// OPEN NCRs whose escalation time has passed, locked so that each is escalated by one instance.
    func dueForEscalation(at now: Date, limit: Int = 100) async throws -> [NCR] {
        var items: [NCR] = []
        for try await document in try await connection.query(
            """
            SELECT document::text FROM ncrs WHERE status = 'OPEN' AND escalate_at <= \(now)
            ORDER BY escalate_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
            """, logger: logger
        ).decode(String.self) {
            items.append(try StitchJSON.decode(NCR.self, from: Array(document.utf8)))
        }
        return items
    }

    func nextCode(prefix: String, day: LocalDate) async throws -> String {
        DayCounter.code(
            prefix: prefix, day: day,
            sequence: try await DayCounter.next(in: "code_counters", prefix: prefix, day: day, on: connection, logger: logger))
    }
}
