import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// What phones and rebuilding readers ask for: changes after a point, and everything in id order.
extension PostgresSPKRepository {
    /// Lower than every id: where an export starts.
    static let noId = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    func changes(department: Department, after sequence: Int64, limit: Int, in context: MessageContext) async throws
        -> [(spk: SPK, sequence: Int64)]
    {
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(SPKRows.columns), s.change_seq FROM \(SPKRows.source)
                    WHERE s.department = $1 AND s.change_seq > $2 ORDER BY s.change_seq LIMIT $3
                    """, binds: try SPKRows.binds(department.rawValue, sequence, limit)), logger: context.logger)
        var items: [(SPK, Int64)] = []
        for try await row in rows {
            items.append((try SPKRows.spk(from: row), try row.makeRandomAccess()[SPKRows.extraColumn].decode(Int64.self)))
        }
        return items
    }

    func settledCursor(department: Department, settledBefore: Date, in context: MessageContext) async throws -> Int64 {
        let rows = try await context.connection.query(
            """
            SELECT coalesce(min(change_seq) FILTER (WHERE updated_at >= \(settledBefore)) - 1, max(change_seq), 0)
            FROM spks WHERE department = \(department.rawValue)
            """, logger: context.logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    func export(after id: UUID?, limit: Int, in context: MessageContext) async throws -> [SPK] {
        try await spks(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(SPKRows.columns) FROM \(SPKRows.source) WHERE s.id > $1 ORDER BY s.id LIMIT $2
                    """, binds: try SPKRows.binds(id ?? Self.noId, limit)), in: context)
    }
}
