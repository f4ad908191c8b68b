import Foundation
import Logging
import Metrics
import PostgresNIO

/// Publishes what handlers wrote to the outbox: claims a batch with `FOR UPDATE SKIP LOCKED` (so
/// several instances never publish the same rows), publishes it and waits once for the broker's
/// confirms, then marks the rows published in the same transaction. If publishing fails the
/// transaction rolls back and the rows are tried again; a crash after the broker confirmed but before
/// the commit republishes them, which the consumers' inbox absorbs.
///
/// Wakes on `LISTEN/NOTIFY` from the outbox trigger; polls as a fallback.
public struct OutboxRelay: Sendable {
    public var batchSize = 500
    public var pollInterval: Duration = .seconds(1)
    /// Published rows are kept this long for inspection, then deleted.
    public var retention: Duration = .seconds(7 * 24 * 3600)
    /// The longest one pass (claim, publish, confirm, mark) may take before it is abandoned and retried.
    public var passDeadline: Duration = .seconds(45)

    let client: PostgresClient
    let bus: any MessageBus
    let schema: String
    let logger: Logger
    let monitor: LoopMonitor?

    public init(client: PostgresClient, bus: any MessageBus, schema: String, logger: Logger, monitor: LoopMonitor? = nil) {
        self.client = client
        self.bus = bus
        self.schema = schema
        var logger = logger
        logger[metadataKey: "component"] = "outbox-relay"
        self.logger = logger
        self.monitor = monitor
    }

    /// Relays until cancelled, then drains what is committed (for a few seconds at most) and returns.
    public func run() async throws {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await listen(wake) }
            group.addTask {
                // The fallback: a wake-up every poll interval even if no NOTIFY arrives.
                while !Task.isCancelled {
                    try? await Task.sleep(for: pollInterval)
                    wake.yield()
                }
            }
            group.addTask { await relayLoop(wakeups) }
            await group.next()
            group.cancelAll()
        }
        // The final flush must not inherit the cancellation that stopped the loop, or its queries
        // would be refused at once; it is awaited, and bounded by its deadline.
        let relay = self
        await Task { await relay.flush(deadline: .now + .seconds(5)) }.value
    }

    /// Publishes everything unpublished now; returns how many messages it published.
    @discardableResult
    public func drainOnce() async throws -> Int {
        let limit = batchSize
        let bus = self.bus
        let logger = self.logger
        return try await client.transaction(logger: logger, deadline: passDeadline) { connection in
            let rows = try await connection.prepared(
                """
                SELECT id, message_id, exchange, routing_key, message_type, correlation_id, headers::text, mandatory, body
                FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var ids: [Int64] = []
            var messages: [OutgoingMessage] = []
            for row in rows {
                let (id, messageId, exchange, routingKey, type, correlationId, headers, mandatory, body) = try row.decode(
                    (Int64, String, String, String, String?, String?, String, Bool, String).self)
                ids.append(id)
                messages.append(
                    OutgoingMessage(
                        exchange: exchange, routingKey: routingKey, body: Array(body.utf8), messageId: messageId,
                        correlationId: correlationId, type: type,
                        headers: (try? JSONDecoder().decode([String: String].self, from: Data(headers.utf8))) ?? [:],
                        mandatory: mandatory, persistent: true))
            }
            if ids.isEmpty { return 0 }
            try await bus.publish(messages)
            // The mark alone commits without waiting for its WAL flush (synchronous_commit off for this
            // transaction): lost in a crash, the rows go out again and the consumers' inboxes drop the copies.
            try await connection.prepared(
                """
                WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
                UPDATE outbox SET published_at = now() FROM relaxed WHERE id = ANY(\(ids))
                """, logger: logger)
            return ids.count
        }
    }

    /// Unpublished rows (the backlog), for metrics and tests.
    public func backlog() async throws -> Int {
        let rows = try await client.rows("SELECT count(*)::bigint FROM outbox WHERE published_at IS NULL", logger: logger)
        return try rows.first?.decode(Int.self) ?? 0
    }

    private func relayLoop(_ wakeups: AsyncStream<Void>) async {
        let backlogGauge = Gauge(label: "stitch_outbox_backlog", dimensions: [("schema", schema)])
        let published = Counter(label: "stitch_outbox_published_total", dimensions: [("schema", schema)])
        let failures = Counter(label: "stitch_outbox_publish_failures_total", dimensions: [("schema", schema)])
        // It beats after every pass that reached the database, so a relay stuck anywhere (a wait
        // that never ends, a database that never comes back) shows as stalled in /ready.
        let heartbeat = monitor?.register("outbox-relay:\(schema)") ?? .none
        defer { monitor?.unregister("outbox-relay:\(schema)") }
        var backoff = Backoff()
        var lastCleanup = ContinuousClock.now - .seconds(3600)
        var lastBacklog = ContinuousClock.now - .seconds(3600)
        var iterator = wakeups.makeAsyncIterator()
        while !Task.isCancelled {
            do {
                let count = try await drainOnce()
                published.increment(by: count)
                heartbeat.beat()
                if backoff.attempts > 0 {
                    logger.info("outbox relay publishing again")
                    backoff.reset()
                }
                if count == batchSize { continue }
                // Housekeeping at most once a second, not on every wake-up under load.
                if lastBacklog.duration(to: .now) >= pollInterval {
                    lastBacklog = .now
                    backlogGauge.record(try await backlog())
                }
                if lastCleanup.duration(to: .now) > .seconds(600) {
                    lastCleanup = .now
                    try await deletePublished()
                }
            } catch {
                if Task.isCancelled { return }
                failures.increment()
                let pause = backoff.next()
                logger.warning("outbox relay could not publish, will retry in \(pause): \(String(reflecting: error))")
                if !(await sleep(pause)) { return }
                continue
            }
            // Until a NOTIFY or the poll tick; nil once cancelled.
            if await iterator.next() == nil { return }
        }
    }

    private func sleep(_ duration: Duration) async -> Bool {
        do { try await Task.sleep(for: duration) } catch { return false }
        return true
    }

    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        var backoff = Backoff(base: .milliseconds(500), cap: .seconds(5))
        while !Task.isCancelled {
            do {
                // Held as long as the connection lives; it ends (and is taken again) when it closes.
                try await client.withConnection { connection in
                    try await connection.untilClosed {
                        try await connection.listen(on: "\(schema)_outbox") { notifications in
                            wake.yield()  // rows may have been committed before LISTEN took effect
                            for try await _ in notifications { wake.yield() }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("outbox LISTEN connection ended (\(error)); polling meanwhile")
            }
            if !(await sleep(backoff.next())) { return }
        }
    }

    private func flush(deadline: ContinuousClock.Instant) async {
        while ContinuousClock.now < deadline {
            do {
                if try await drainOnce() < batchSize { return }
            } catch {
                logger.warning("outbox not fully flushed at shutdown (it will be published on the next start): \(error)")
                return
            }
        }
    }

    private func deletePublished() async throws {
        let seconds = Int(retention.components.seconds)
        try await client.rows(
            """
            DELETE FROM outbox WHERE published_at < now() - make_interval(secs => \(seconds))
            """, logger: logger)
    }
}
