import Contracts
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Synchronization

/// What a browser on the board is told: something it shows may have changed (it re-reads the
/// numbers itself, through the same API as always), or nothing happened and the stream is alive.
struct BoardMessage: Sendable {
    enum Kind: String, Sendable { case change, ping }
    var kind: Kind
    /// change: the event types in this burst, e.g. `production.daily-input.recorded.v1`.
    var types: [String]
    /// change: how many events the burst held.
    var events: Int
    var at: Date
}

/// The gateway's feed of the changes the web board shows. One per gateway instance, whatever the
/// number of browsers: a transient queue of its own (`gateway.board.<instance>.<random>`, gone when
/// the process is) bound on `stitch.events` to what moves the board — Production's, Approval's and
/// the warehouse's finished-goods and material-debt events, the same events PPIC builds its read
/// model from. A burst of events becomes one `change` after `coalesce` (which also lets PPIC apply
/// them before the browsers ask), fanned out to every connected browser; a `ping` every
/// `heartbeat` keeps idle streams (and proxies) open and lets a stream notice a closed connection
/// or an expired token. Nothing here polls the database.
public final class BoardFeed: Service, Sendable {
    static let routingKeys = ["production.#", "approval.#", "warehouse.carton.#", "warehouse.material-debt.#"]

    let bus: any MessageBus
    let queue: String
    let logger: Logger
    let coalesce: Duration
    let heartbeat: Duration
    /// Most browsers one instance serves at once (each holds a connection); more get 503.
    let maxSubscribers: Int

    private struct State {
        var subscribers: [UUID: AsyncStream<BoardMessage>.Continuation] = [:]
        /// Event types seen since the open burst began; nil when no burst is open.
        var burst: [String: Int]?
        var closed = false
    }
    private let state = Mutex(State())

    public init(
        bus: any MessageBus, instance: String, logger: Logger, coalesce: Duration = .milliseconds(250),
        heartbeat: Duration = .seconds(15), maxSubscribers: Int = 1000
    ) {
        self.bus = bus
        let safe = instance.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
        queue = "gateway.board.\(String(safe.prefix(60))).\(UUID().uuidString.prefix(8).lowercased())"
        self.logger = logger
        self.coalesce = coalesce
        self.heartbeat = heartbeat
        self.maxSubscribers = maxSubscribers
    }

    var topology: Topology {
        Topology.transientQueue(queue, exchange: Topology.eventsExchange, routingKeys: Self.routingKeys)
    }

    // MARK: Browsers

    enum SubscribeError: Error { case full, closed }

    /// A stream of messages for one browser, until `unsubscribe` or shutdown. The newest few are kept
    /// for a slow reader: a change is a nudge to re-read, so a dropped one costs nothing.
    func subscribe() throws(SubscribeError) -> (id: UUID, messages: AsyncStream<BoardMessage>) {
        let (stream, continuation) = AsyncStream.makeStream(of: BoardMessage.self, bufferingPolicy: .bufferingNewest(4))
        let id = UUID()
        try state.withLock { (state: inout State) throws(SubscribeError) -> Void in
            if state.closed { throw .closed }
            if state.subscribers.count >= maxSubscribers { throw .full }
            state.subscribers[id] = continuation
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        state.withLock { $0.subscribers.removeValue(forKey: id) }?.finish()
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private func broadcast(_ message: BoardMessage) {
        let targets = state.withLock { Array($0.subscribers.values) }
        for continuation in targets { continuation.yield(message) }
    }

    // MARK: Events

    /// Called for the events that arrived together: the first of a burst waits `coalesce`, then announces
    /// the whole burst.
    func received(types: [String]) async {
        let opensBurst = state.withLock { state -> Bool in
            let opens = state.burst == nil
            var burst = state.burst ?? [:]
            for type in types { burst[type, default: 0] += 1 }
            state.burst = burst
            return opens
        }
        guard opensBurst else { return }
        try? await Task.sleep(for: coalesce)
        let burst = state.withLock { state -> [String: Int] in
            defer { state.burst = nil }
            return state.burst ?? [:]
        }
        broadcast(BoardMessage(kind: .change, types: burst.keys.sorted(), events: burst.values.reduce(0, +), at: Date()))
    }

    // MARK: Service

    /// Declares the queue, consumes it and beats the heartbeat until graceful shutdown; then ends
    /// every browser's stream (so the HTTP server is not kept waiting by them) and returns. Broker
    /// outages are the bus's business: it reconnects, re-declares the queue and consumes again.
    public func run() async throws {
        do {
            try await bus.declare(topology)
        } catch {
            // Remembered all the same: the consuming connection declares it when it connects.
            logger.warning("board feed: cannot declare \(queue) yet (\(error)); it is declared on connecting")
        }
        logger.info("board feed: following \(Self.routingKeys.joined(separator: ", ")) on \(queue)")
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.consume() }
                group.addTask { await self.beat() }
            }
        }
        let subscribers = state.withLock { state in
            state.closed = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in subscribers { continuation.finish() }
    }

    private func consume() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                // Every daily input passes here: the events of one read are counted and acked together.
                try await bus.consumeTogether(queue: queue, prefetch: 64) { deliveries in
                    Delivery.ack(deliveries)  // notifications: nothing to lose, nothing to redo
                    await self.received(types: deliveries.map { $0.message.type ?? $0.message.routingKey })
                }
                attempt = 0
            } catch {
                if Task.isCancelled { return }
                attempt += 1
                logger.warning("board feed: consuming \(queue) failed (\(error)); trying again")
                try? await Task.sleep(for: .milliseconds(min(10_000, 250 * (1 << min(attempt, 6)))))
            }
        }
    }

    private func beat() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: heartbeat)
            if Task.isCancelled { return }
            broadcast(BoardMessage(kind: .ping, types: [], events: 0, at: Date()))
        }
    }
}
