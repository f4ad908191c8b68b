import Contracts
import Foundation
import PostgresNIO

/// What phones and rebuilding readers ask for: changes after a point, and everything in id order.
extension SPKStore {
    /// Lower than every id: where an export starts.
    static let noId = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    /// The SPKs of `department` changed after `sequence`, oldest change first, with their change numbers.
    func changes(department: Department, after sequence: Int64, limit: Int) async throws -> [(spk: SPK, sequence: Int64)] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns), s.change_seq FROM \(Self.source)
            WHERE s.department = $1 AND s.change_seq > $2 ORDER BY s.change_seq LIMIT $3
            """, binds: try Self.binds(department.rawValue, sequence, limit)), logger: logger)
        var items: [(SPK, Int64)] = []
        for try await row in rows {
            items.append((try Self.spk(from: row), try row.makeRandomAccess()[Self.extraColumn].decode(Int64.self)))
        }
        return items
    }

    /// A change number below which every change of `department` has certainly committed: numbers are
    /// drawn before commit, so a change younger than `settledBefore` may still be in flight behind a
    /// higher number — the cursor stops before it and the phone gets it again next time.
    func settledCursor(department: Department, settledBefore: Date) async throws -> Int64 {
        let rows = try await connection.query("""
            SELECT coalesce(min(change_seq) FILTER (WHERE updated_at >= \(settledBefore)) - 1, max(change_seq), 0)
            FROM spks WHERE department = \(department.rawValue)
            """, logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    /// Every SPK after `id` in id order.
    func export(after id: UUID?, limit: Int) async throws -> [SPK] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM \(Self.source) WHERE s.id > $1 ORDER BY s.id LIMIT $2
            """, binds: try Self.binds(id ?? Self.noId, limit)), logger: logger)
        var items: [SPK] = []
        for try await row in rows { items.append(try Self.spk(from: row)) }
        return items
    }

    /// Every daily entry and reversal after `id` in id order.
    func exportInputs(after id: UUID?, limit: Int) async throws -> [RecordedEntry] {
        let rows = try await connection.query("""
            SELECT id, spk_id, input_date::text, qty, reject_qty FROM daily_inputs
            WHERE id > \(id ?? Self.noId) ORDER BY id LIMIT \(limit)
            """, logger: logger)
        var items: [RecordedEntry] = []
        for try await (id, spk, date, qty, rejects) in rows.decode((UUID, UUID, String, Int, Int).self) {
            items.append(RecordedEntry(id: id, spkId: spk, date: LocalDate(date)!, qty: qty, rejectQty: rejects))
        }
        return items
    }
}
