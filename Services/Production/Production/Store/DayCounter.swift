import Contracts
import Logging
import PostgresNIO
import ServiceKit

/// Numbers per day for codes like `SPK-YYYYMMDD-NNNN`: one counter row per day, locked until commit,
/// keeps them unique across concurrent instances.
enum DayCounter {
    /// `table` is one of Production's counter tables (`spk_code_counters`, `order_code_counters`).
    static func next(in table: String, day: LocalDate, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(table) (day, last) VALUES ($1::date, 1)
            ON CONFLICT (day) DO UPDATE SET last = \(table).last + 1 RETURNING last
            """, binds: try SPKStore.binds(day.description)), logger: logger)
        for try await sequence in rows.decode(Int.self) { return sequence }
        throw ErrorReply(.internalError, "no number could be drawn from \(table)")
    }
}
