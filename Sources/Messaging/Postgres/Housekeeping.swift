import Logging
import PostgresNIO

/// Keeps the platform tables from growing without end: de-duplication records are needed only as
/// long as a duplicate can still arrive. Deletes in small batches so it never holds long locks.
public struct Housekeeping: Sendable {
    /// Inbox rows: redeliveries come within minutes; a month is generous.
    public var inboxRetentionDays = 30
    /// Replies stored under message ids (gateway retries come within seconds).
    public var messageReplyRetentionDays = 7
    /// Replies stored under client keys (a phone may come back online after a long weekend).
    public var clientKeyRetentionDays = 90
    public var interval: Duration = .seconds(3600)

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs every `interval` until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                if Task.isCancelled { return }
                logger.warning("housekeeping failed, will try again: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Returns how many rows it deleted.
    @discardableResult
    public func runOnce() async throws -> Int {
        try await deleteInBatches("inbox", where: "received_at < now() - make_interval(days => \(inboxRetentionDays))")
            + deleteInBatches("idempotency_keys",
                              where: "scope = 'message' AND created_at < now() - make_interval(days => \(messageReplyRetentionDays))")
            + deleteInBatches("idempotency_keys",
                              where: "scope <> 'message' AND created_at < now() - make_interval(days => \(clientKeyRetentionDays))")
    }

    private func deleteInBatches(_ table: String, where condition: String) async throws -> Int {
        var deleted = 0
        while !Task.isCancelled {
            let rows = try await client.query(PostgresQuery(unsafeSQL: """
                WITH gone AS (DELETE FROM \(table) WHERE ctid IN (SELECT ctid FROM \(table) WHERE \(condition) LIMIT 5000) RETURNING 1)
                SELECT count(*)::int FROM gone
                """), logger: logger)
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            deleted += count
            if count < 5000 { break }
        }
        return deleted
    }
}
