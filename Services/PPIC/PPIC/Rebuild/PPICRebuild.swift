import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Refills PPIC's Production-derived tables from Production itself (over request/reply), for when
/// the read model was lost or is suspect. The running service keeps following events meanwhile:
/// SPK rows are version-guarded and entry rows keyed by Production's id, so the two converge.
/// Reports read partial figures until it finishes.
public enum PPICRebuild {
    public struct Outcome: Sendable, CustomStringConvertible {
        public var spks: Int
        public var entries: Int
        public var duration: Duration
        public var description: String { "rebuilt \(spks) SPKs and \(entries) daily entries in \(duration)" }
    }

    public static func run(
        client: PostgresClient, bus: any MessageBus, settings: PPICSettings = PPICSettings(),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        pageTimeout: Duration = .seconds(60)
    ) async throws -> Outcome {
        let started = ContinuousClock.now
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("TRUNCATE spk_view, spk_entries, spk_alerts", logger: logger)
            try await connection.query("UPDATE assessment_state SET assessed_for = NULL WHERE id = 1", logger: logger)
        }
        logger.info("PPIC rebuild: cleared; asking Production for its SPKs")
        let spks = try await copyAll(
            bus: bus, timeout: pageTimeout, logger: logger, id: \SPK.id,
            page: { ExportSPKs(after: $0, limit: ExportSPKs.maxLimit) }
        ) { page in
            try await client.withConnection { connection in
                try await SPKViewStore(connection: connection, logger: logger).upsert(page, calendar: settings.rules.calendar)
            }
        }
        logger.info("PPIC rebuild: \(spks) SPKs; asking for daily entries")
        let entries = try await copyAll(
            bus: bus, timeout: pageTimeout, logger: logger, id: \RecordedEntry.id,
            page: { ExportDailyInputs(after: $0, limit: ExportDailyInputs.maxLimit) }
        ) { page in
            try await client.withConnection { connection in
                try await SPKViewStore(connection: connection, logger: logger).record(page)
            }
        }
        logger.info("PPIC rebuild: \(entries) entries; judging every unfinished SPK")
        // Fresh statistics after a bulk load, so the reports' plans fit the new tables.
        try await client.query("ANALYZE spk_view, spk_entries", logger: logger)
        let sweep = DailySweep(settings: settings, now: now)
        try await client.withTransaction(logger: logger) { connection in
            _ = try await sweep.sweepIfDue(on: connection, today: sweep.today, force: true, logger: logger)
        }
        return Outcome(spks: spks, entries: entries, duration: started.duration(to: .now))
    }

    /// Pages through an export ordered by id, writing one page while the next is on its way.
    private static func copyAll<Q: Query & ExportPage, Item: Sendable>(
        bus: any MessageBus, timeout: Duration, logger: Logger, id: KeyPath<Item, UUID> & Sendable,
        page: @escaping @Sendable (UUID?) -> Q, write: @escaping @Sendable ([Item]) async throws -> Void
    ) async throws -> Int where Q.Reply == [Item] {
        @Sendable func fetch(after: UUID?) async throws -> [Item] {
            try await bus.send(Envelope(page(after), actor: .system(ServiceName.ppic.rawValue)), timeout: timeout)
        }
        let limit = page(nil).limit
        var current = try await fetch(after: nil)
        var copied = 0
        while !current.isEmpty {
            let last = current[current.count - 1][keyPath: id]
            let isLast = current.count < limit
            async let following: [Item] = isLast ? [] : fetch(after: last)
            try await retrying(logger: logger) { [current] in try await write(current) }
            copied += current.count
            current = try await following
        }
        return copied
    }

    /// A page write can meet a live event on the same rows; it is idempotent, so try it again.
    private static func retrying(logger: Logger, _ body: @Sendable () async throws -> Void) async throws {
        for attempt in 1... {
            do {
                return try await body()
            } catch  where attempt < 3 {
                logger.warning("PPIC rebuild: a page write failed (\(error)); trying again")
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }
}

/// Both exports page the same way.
protocol ExportPage {
    var limit: Int { get }
}

extension ExportSPKs: ExportPage {}
extension ExportDailyInputs: ExportPage {}
