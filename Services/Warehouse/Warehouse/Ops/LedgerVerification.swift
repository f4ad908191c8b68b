import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// `./scripts/run ops warehouse verify`: every balance recomputed from the ledger and compared with
/// the stored one; prints each item × location where they differ. Exit status 1 if any does.
public enum LedgerVerification {
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        public var item: String
        public var location: String
        public var stored: Decimal
        public var fromLedger: Decimal
        public var description: String { "\(item) @ \(location): balance \(stored), ledger says \(fromLedger)" }
    }

    /// Balances that differ from the sum of their movements (in minus out).
    public static func differences(_ client: PostgresClient, logger: Logger) async throws -> (checked: Int, differences: [Difference]) {
        let rows = try await client.rows(
            """
            WITH ledger AS (
                SELECT item_code, location, sum(delta) AS qty FROM (
                    SELECT item_code, to_location AS location, qty AS delta FROM movements WHERE to_location IS NOT NULL
                    UNION ALL
                    SELECT item_code, from_location, -qty FROM movements WHERE from_location IS NOT NULL
                ) moves GROUP BY item_code, location
            )
            SELECT coalesce(b.item_code, l.item_code), coalesce(b.location, l.location), coalesce(b.qty, 0), coalesce(l.qty, 0),
                   count(*) OVER ()::bigint
            FROM balances b FULL JOIN ledger l ON l.item_code = b.item_code AND l.location = b.location
            ORDER BY 1, 2
            """, logger: logger)
        var checked = 0
        var differences: [Difference] = []
        for row in rows {
            let (item, location, stored, ledger, count) = try row.decode((String, String, Decimal, Decimal, Int).self)
            checked = count
            if stored != ledger { differences.append(Difference(item: item, location: location, stored: stored, fromLedger: ledger)) }
        }
        return (checked, differences)
    }

    static let command = OpsCommand(summary: "compare every balance with the ledger") { client, _, logger in
        let (checked, differences) = try await differences(client, logger: logger)
        if differences.isEmpty { return ("ledger and balances agree (\(checked) item × location balances checked)", 0) }
        return (
            (differences.map(\.description) + ["\(differences.count) of \(checked) balances differ from the ledger"])
                .joined(separator: "\n"), 1
        )
    }
}
