import CRabbitMQ
import Foundation
import Logging
import Metrics
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A librabbitmq connection owned by one dedicated thread (librabbitmq is not thread-safe), bridged
/// to async Swift: callers hand it jobs, it wakes through a pipe, and it otherwise sleeps in
/// `poll()` on the socket — at most a second at a time, so heartbeats are always serviced.
///
/// On connection loss it reconnects — to the next node of the cluster when it was given several
/// (`AMQPEndpoints`), with backoff once all have failed — re-declares every topology it was given and
/// re-starts every consumer; operations whose outcome became unknown fail with `connectionLost`.
///
/// This file holds its state and its thread; the async API, confirmed publishing, request/reply and
/// frame reading are extensions beside it. The state below is internal only so those files can
/// reach it: everything marked "confined" is touched on the connection's thread alone.
final class AMQPConnection: @unchecked Sendable {
    struct ConsumerRegistration: Sendable {
        var queue: String
        var prefetch: Int
        /// Takes the deliveries of one read of the socket together (one wake-up of the consumer for many).
        var sink: @Sendable ([Delivery]) -> Void
        var tag: String?
    }

    struct ConfirmBatch {
        var remaining: Int
        var failure: MessagingError?
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
        var messageIds: [String]
    }

    struct ReplyWaiter {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<IncomingMessage, any Error>
    }

    /// A message whose method frame arrived and whose header and body frames are still coming.
    struct PartialContent {
        enum Kind {
            case delivery(consumerTag: String, deliveryTag: UInt64, redelivered: Bool)
            case returned(code: UInt16, text: String)
        }
        var kind: Kind
        var exchange: String
        var routingKey: String
        var bodySize: Int = -1
        var body: [UInt8] = []
        var properties = IncomingMessage(exchange: "", routingKey: "", body: [])
    }

    typealias Job = @Sendable (AMQPConnection) -> Void

    let name: String
    let logger: Logger
    let wantsReplyConsumer: Bool
    /// Whether the channel is in confirm mode: only the connection that publishes with confirms (`publish`).
    /// A request needs none (its reply is its answer) and a consumer publishes nothing, so neither makes
    /// the broker send a confirm for each message.
    let confirms: Bool
    let confirmTimeout: Duration = .seconds(30)
    let reconnects: Counter
    let connectedGauge: Gauge
    let monitor: LoopMonitor?
    let heartbeat: LoopHeartbeat

    // Shared between threads. nil once the thread has ended: late jobs then run at once (under the
    // lock, so still one at a time) and find no session, so they fail or do nothing.
    let pendingJobs = Mutex<[Job]?>([])
    let stopRequested = Atomic<Bool>(false)
    let connectedFlag = Atomic<Bool>(false)
    let wakeRead: Int32
    let wakeWrite: Int32
    let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    // Confined to the connection thread (jobs run there; so do the extensions' frame handlers).
    var session: AMQPSession?
    var generation: UInt64 = 0
    var everConnected = false
    var endpoints: AMQPEndpoints
    var configuration: AMQPConfiguration { endpoints.current }
    var nextAttempt = ContinuousClock.now
    var topologies: [Topology] = []
    var consumers: [Int: ConsumerRegistration] = [:]
    var nextConsumerId = 0
    var replyConsumerTag: String?
    var batches: [Int: ConfirmBatch] = [:]
    var nextBatchId = 0
    var sequenceToBatch: [UInt64: Int] = [:]
    var lowestUnconfirmed: UInt64 = 1
    var mandatoryToBatch: [String: Int] = [:]
    var replyWaiters: [String: ReplyWaiter] = [:]
    var partial: PartialContent?
    /// Delivery tags of this session handed to consumers and not yet settled: a batch's acks become one
    /// `multiple` ack when nothing below them is still in hand (`AMQPConnection+Frames`).
    var unsettled = Set<UInt64>()
    /// Deliveries of the current read, by consumer id, handed over when the read ends.
    var gathered: [Int: [Delivery]] = [:]

    init(
        name: String, endpoints: [AMQPConfiguration], replyConsumer: Bool = false, confirms: Bool = false, logger: Logger,
        monitor: LoopMonitor? = nil
    ) {
        self.confirms = confirms
        self.name = name
        self.monitor = monitor
        // The thread beats once per turn (at least every second): a turn stuck in a librabbitmq call shows.
        heartbeat = monitor?.register("amqp:\(name)") ?? .none
        self.endpoints = AMQPEndpoints(endpoints, start: Int.random(in: 0..<max(endpoints.count, 1)))
        self.wantsReplyConsumer = replyConsumer
        var logger = logger
        logger[metadataKey: "amqp.connection"] = .string(name)
        self.logger = logger
        self.reconnects = Counter(label: "stitch_amqp_reconnects_total", dimensions: [("connection", name)])
        self.connectedGauge = Gauge(label: "stitch_amqp_connected", dimensions: [("connection", name)])
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create the wake-up pipe")
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in run() }
        thread.name = "amqp-\(name)"
        thread.start()
    }

    deinit {
        // Here, not at shutdown: a caller may still be writing its wake-up byte as the thread ends.
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    var isConnected: Bool { connectedFlag.load(ordering: .relaxed) }

    // MARK: Handing work to the thread

    func perform(_ job: @escaping Job) {
        let queued = pendingJobs.withLock { jobs -> Bool in
            guard jobs != nil else {
                job(self)
                return false
            }
            jobs!.append(job)
            return true
        }
        if queued { wake() }
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Stops consuming, flushes acks, closes the connection and ends the thread.
    func close() async {
        await withCheckedContinuation { continuation in
            let alreadyDone = finished.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if alreadyDone {
                continuation.resume()
            } else {
                stopRequested.store(true, ordering: .releasing)
                wake()
            }
        }
    }

    // MARK: The thread

    func run() {
        while true {
            heartbeat.beat()
            runPendingJobs()
            if stopRequested.load(ordering: .acquiring) {
                runPendingJobs()
                shutDown()
                return
            }
            if session == nil {
                if ContinuousClock.now >= nextAttempt { connect() }
                if session == nil {
                    expireDeadlines()
                    waitForWork(until: nextAttempt, socket: nil)
                    continue
                }
            }
            readAvailableFrames()
            expireDeadlines()
            if let session, !session.hasBufferedInput, pendingJobs.withLock({ $0?.isEmpty ?? true }) {
                waitForWork(until: ContinuousClock.now + .seconds(1), socket: session.socketDescriptor)
            }
        }
    }

    func runPendingJobs() {
        let jobs = pendingJobs.withLock { jobs -> [Job] in
            defer { jobs?.removeAll(keepingCapacity: true) }
            return jobs ?? []
        }
        for job in jobs { job(self) }
    }

    /// Sleeps until the socket is readable, a job arrives, or `deadline` / the nearest operation deadline.
    func waitForWork(until deadline: ContinuousClock.Instant, socket: Int32?) {
        var until = deadline
        for batch in batches.values { until = min(until, batch.deadline) }
        for waiter in replyWaiters.values { until = min(until, waiter.deadline) }
        let remaining = ContinuousClock.now.duration(to: until)
        let milliseconds = max(
            0,
            Int32(
                clamping: remaining.components.seconds * 1000
                    + remaining.components.attoseconds / 1_000_000_000_000_000))
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        if let socket { fds.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        var drain = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &drain, drain.count) > 0 {}
    }

    func connect() {
        do {
            let session = try AMQPSession(configuration: configuration, connectionName: name, confirms: confirms)
            self.session = session
            generation += 1
            lowestUnconfirmed = 1
            for topology in topologies { try session.declare(topology) }
            if wantsReplyConsumer {
                replyConsumerTag = try session.consume(queue: "amq.rabbitmq.reply-to", prefetch: 0, noAck: true)
            }
            for id in consumers.keys.sorted() { startConsumer(id) }
            guard self.session != nil else { return }
            if everConnected {
                reconnects.increment()
                logger.warning("reconnected to \(configuration.description)")
            } else {
                logger.debug("connected to \(configuration.description)")
            }
            everConnected = true
            endpoints.connected()
            connectedFlag.store(true, ordering: .relaxed)
            connectedGauge.record(1)
        } catch {
            if session != nil { connectionLost(error) } else { scheduleReconnect(after: error) }
        }
    }

    func startConsumer(_ id: Int) {
        guard let session, var registration = consumers[id] else { return }
        do {
            registration.tag = try session.consume(queue: registration.queue, prefetch: registration.prefetch, noAck: false)
            consumers[id] = registration
        } catch {
            connectionLost(error)
        }
    }

    /// Drops the session, fails what can no longer complete, and schedules a reconnect.
    func connectionLost(_ error: any Error) {
        guard let lost = session else { return }
        session = nil
        lost.discard()
        connectedFlag.store(false, ordering: .relaxed)
        connectedGauge.record(0)
        failAllPending(MessagingError.connectionLost((error as? MessagingError)?.description ?? "\(error)"))
        scheduleReconnect(after: error)
    }

    func scheduleReconnect(after error: any Error) {
        let reason = (error as? MessagingError)?.description ?? "\(error)"
        let failed = configuration.description
        nextAttempt = ContinuousClock.now + endpoints.failed()
        let next = endpoints.all.count > 1 ? " via \(configuration.description)" : ""
        if everConnected {
            logger.warning("connection to \(failed) lost: \(reason); reconnecting\(next)")
        } else {
            logger.info("cannot connect to \(failed) yet: \(reason)")
        }
    }

    func failAllPending(_ error: MessagingError) {
        for batch in batches.values { batch.continuation.resume(throwing: error) }
        batches.removeAll()
        sequenceToBatch.removeAll()
        mandatoryToBatch.removeAll()
        for waiter in replyWaiters.values { waiter.continuation.resume(throwing: error) }
        replyWaiters.removeAll()
        partial = nil
        unsettled.removeAll()
        gathered.removeAll()
        for id in consumers.keys { consumers[id]?.tag = nil }
        replyConsumerTag = nil
    }

    func shutDown() {
        monitor?.unregister("amqp:\(name)")
        if let session {
            self.session = nil
            session.close()
        }
        failAllPending(.closed)
        connectedFlag.store(false, ordering: .relaxed)
        // From here on jobs run inline; the ones that raced in before this still run, in order.
        let late = pendingJobs.withLock { jobs -> [Job] in
            defer { jobs = nil }
            return jobs ?? []
        }
        for job in late { job(self) }
        let waiters = finished.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }
}
