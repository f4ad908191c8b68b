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
    public var clientKeyRetentionDays = Self.defaultClientKeyRetentionDays
    /// How long a client's Idempotency-Key is honoured, here and at the gateway (docs/api.md says so).
    public static let defaultClientKeyRetentionDays = 90
    public var interval: Duration = .seconds(3600)

    let client: PostgresClient
    let logger: Logger
    let monitor: LoopMonitor?

    public init(client: PostgresClient, logger: Logger, monitor: LoopMonitor? = nil) {
        self.client = client
        self.logger = logger
        self.monitor = monitor
    }

    /// Runs every `interval` until cancelled; after a failure, again soon (with backoff).
    public func run() async {
        await PeriodicLoop("housekeeping", every: interval, allowance: interval + .seconds(600)).run(monitor: monitor, logger: logger) {
            try await runOnce()
        }
    }

    /// Returns how many rows it deleted.
    @discardableResult
    public func runOnce() async throws -> Int {
        try await deleteInBatches("inbox", where: "received_at < now() - make_interval(days => \(inboxRetentionDays))")
            + deleteInBatches(
                "idempotency_keys",
                where: "scope = 'message' AND created_at < now() - make_interval(days => \(messageReplyRetentionDays))")
            + deleteInBatches(
                "idempotency_keys",
                where: "scope <> 'message' AND created_at < now() - make_interval(days => \(clientKeyRetentionDays))")
    }

    private func deleteInBatches(_ table: String, where condition: String) async throws -> Int {
        var deleted = 0
        while !Task.isCancelled {
            let rows = try await client.rows(
                PostgresQuery(
                    unsafeSQL: """
                        WITH gone AS (DELETE FROM \(table) WHERE ctid IN (SELECT ctid FROM \(table) WHERE \(condition) LIMIT 5000) RETURNING 1)
                        SELECT count(*)::bigint FROM gone
                        """), logger: logger)
            let count = try rows.first?.decode(Int.self) ?? 0
            deleted += count
            if count < 5000 { break }
        }
        return deleted
    }
}
