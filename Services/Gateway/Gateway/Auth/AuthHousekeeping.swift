import Logging
import Messaging
import PostgresNIO

/// Keeps the gateway's tables small: every `interval` it deletes stale failure counts, long-expired
/// refresh tokens and expired client keys (`request_keys`), at most `batch` rows of each per round (more
/// rounds follow at once while a round was full), so one run never holds locks for long. Runs as the gateway's background
/// task and beats its heartbeat, so a cleanup that stopped shows in `/ready`.
struct AuthHousekeeping: Sendable {
    let interval: Duration
    let batch: Int

    func run(client: PostgresClient, logger: Logger, monitor: LoopMonitor) async {
        let users = UserStore(client: client, logger: logger)
        let keys = PostgresRequestKeyStore(client: client, logger: logger)
        await PeriodicLoop("auth-housekeeping", every: interval).run(monitor: monitor, logger: logger) {
            var deleted = 0
            repeat {
                deleted = try await users.deleteStale(limit: batch) + keys.deleteExpired(limit: batch)
                if deleted > 0 { logger.debug("auth housekeeping deleted \(deleted) rows") }
            } while deleted >= batch && !Task.isCancelled
        }
    }
}
