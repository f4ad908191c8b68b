import Contracts
import Logging
import PostgresNIO

/// Numbers per day for codes like `SPK-YYYYMMDD-NNNN`: one counter row per day (and prefix), locked
/// until the drawing transaction commits, keeps them unique across concurrent instances.
public enum DayCounter {
    /// The next number of `day` in `table`, a counter table in the caller's schema: keyed by `day`
    /// alone, or by `(prefix, day)` when `prefix` is given (one table serving several kinds of code).
    public static func next(
        in table: String, prefix: String? = nil, day: LocalDate, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        var binds = PostgresBindings()
        let key: (columns: String, values: String)
        if let prefix {
            binds.append(prefix)
            key = ("prefix, day", "$1, $2::date")
        } else {
            key = ("day", "$1::date")
        }
        binds.append(day.description)
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(table) (\(key.columns), last) VALUES (\(key.values), 1)
                    ON CONFLICT (\(key.columns)) DO UPDATE SET last = \(table).last + 1 RETURNING last
                    """, binds: binds), logger: logger)
        for try await sequence in rows.decode(Int.self) { return sequence }
        throw ErrorReply(.internalError, "no number could be drawn from \(table)")
    }

    /// `PREFIX-YYYYMMDD-NNNN`, the number zero-padded to four digits (a fifth when a day needs it).
    public static func code(prefix: String, day: LocalDate, sequence: Int) -> String {
        let number = String(sequence)
        return
            "\(prefix)-\(day.description.replacingOccurrences(of: "-", with: ""))-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)"
    }
}
