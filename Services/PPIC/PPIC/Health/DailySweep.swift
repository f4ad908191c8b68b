import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Synchronization

/// Keeps every unfinished SPK judged for the factory's today: a day passing moves plans and
/// deadlines without any event. Checked before each query and on a timer; the state row's lock
/// makes one instance sweep while the others wait and then find the work done.
final class DailySweep: Sendable {
    let settings: PPICSettings
    let now: @Sendable () -> Date
    /// "date|rules" this instance has seen to be swept, so most queries skip the database check.
    private let knownCurrent = Mutex<String?>(nil)

    init(settings: PPICSettings, now: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.now = now
    }

    var today: LocalDate { LocalDate.of(now(), in: settings.timeZone) }

    /// Before a query: sweeps (in the query's transaction) if the date or the rules changed since the last sweep.
    func ensureCurrent(on connection: PostgresConnection, logger: Logger) async throws {
        let today = self.today
        let key = "\(today)|\(settings.rulesSignature)"
        if knownCurrent.withLock({ $0 == key }) { return }
        // Remembered only once found done: a sweep of ours might still roll back with the query.
        if try await !sweepIfDue(on: connection, today: today, logger: logger) { knownCurrent.withLock { $0 = key } }
    }

    /// Judges every unfinished SPK if the state row says it was not done for `today` and these rules
    /// (or always, with `force`). Returns whether it swept.
    @discardableResult
    func sweepIfDue(on connection: PostgresConnection, today: LocalDate, force: Bool = false, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT assessed_for::text, rules FROM assessment_state WHERE id = 1 FOR UPDATE", logger: logger)
        var state: (day: String?, rules: String?) = (nil, nil)
        for try await row in rows.decode((String?, String?).self) { state = row }
        let rulesChanged = state.rules != settings.rulesSignature
        guard force || rulesChanged || state.day != today.description else { return false }
        let started = ContinuousClock.now
        let spks = SPKViewStore(connection: connection, logger: logger)
        if rulesChanged { try await spks.replanAll(calendar: settings.rules.calendar) }
        let ids = try await spks.lockUnfinished()
        try await HealthAssessor(rules: settings.rules, connection: connection, logger: logger).assess(ids, today: today)
        try await connection.query(
            """
            UPDATE assessment_state SET assessed_for = \(today.description)::date, rules = \(settings.rulesSignature) WHERE id = 1
            """, logger: logger)
        logger.info("judged \(ids.count) unfinished SPKs for \(today) in \(started.duration(to: .now))")
        return true
    }

    /// The timer: checks every `settings.sweepInterval` until cancelled; after a failure, sooner.
    func run(client: PostgresClient, logger: Logger, monitor: LoopMonitor) async {
        await PeriodicLoop("ppic-daily-sweep", every: settings.sweepInterval).run(monitor: monitor, logger: logger) {
            try await client.transaction(logger: logger) { connection in
                _ = try await self.sweepIfDue(on: connection, today: self.today, logger: logger)
            }
        }
    }
}
