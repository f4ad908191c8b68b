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
/// On connection loss it reconnects with backoff, re-declares every topology it was given and
/// re-starts every consumer; operations whose outcome became unknown fail with `connectionLost`.
final class AMQPConnection: @unchecked Sendable {
    struct ConsumerRegistration: Sendable {
        var queue: String
        var prefetch: Int
        var sink: @Sendable (Delivery) -> Void
        var tag: String?
    }

    private struct ConfirmBatch {
        var remaining: Int
        var failure: MessagingError?
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
        var messageIds: [String]
    }

    private struct ReplyWaiter {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<IncomingMessage, any Error>
    }

    /// A message whose method frame arrived and whose header and body frames are still coming.
    private struct PartialContent {
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
    private let configuration: AMQPConfiguration
    private let logger: Logger
    private let wantsReplyConsumer: Bool
    private let confirmTimeout: Duration = .seconds(30)
    private let reconnects: Counter
    private let connectedGauge: Gauge
    private let monitor: LoopMonitor?
    private let heartbeat: LoopHeartbeat

    // Shared between threads. nil once the thread has ended: late jobs then run at once (under the
    // lock, so still one at a time) and find no session, so they fail or do nothing.
    private let pendingJobs = Mutex<[Job]?>([])
    private let stopRequested = Atomic<Bool>(false)
    private let connectedFlag = Atomic<Bool>(false)
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    // Confined to the connection thread.
    private var session: AMQPSession?
    private var generation: UInt64 = 0
    private var everConnected = false
    private var backoff: Duration = .milliseconds(100)
    private var nextAttempt = ContinuousClock.now
    private var topologies: [Topology] = []
    private var consumers: [Int: ConsumerRegistration] = [:]
    private var nextConsumerId = 0
    private var replyConsumerTag: String?
    private var batches: [Int: ConfirmBatch] = [:]
    private var nextBatchId = 0
    private var sequenceToBatch: [UInt64: Int] = [:]
    private var lowestUnconfirmed: UInt64 = 1
    private var mandatoryToBatch: [String: Int] = [:]
    private var replyWaiters: [String: ReplyWaiter] = [:]
    private var partial: PartialContent?

    init(name: String, configuration: AMQPConfiguration, replyConsumer: Bool = false, logger: Logger,
         monitor: LoopMonitor? = nil) {
        self.name = name
        self.monitor = monitor
        // The thread beats once per turn (at least every second): a turn stuck in a librabbitmq call shows.
        heartbeat = monitor?.register("amqp:\(name)") ?? .none
        self.configuration = configuration
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

    private func wake() {
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
            if alreadyDone { continuation.resume() } else {
                stopRequested.store(true, ordering: .releasing)
                wake()
            }
        }
    }

    // MARK: Operations (async API)

    func declare(_ topology: Topology) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            perform { connection in
                if !connection.topologies.contains(topology) { connection.topologies.append(topology) }
                guard let session = connection.session else {
                    continuation.resume(throwing: MessagingError.unavailable("not connected to \(connection.configuration.description)"))
                    return
                }
                do {
                    try session.declare(topology)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                    connection.connectionLost(error)
                }
            }
        }
    }

    /// Remembers a topology to declare on every (re)connect, without waiting for a connection.
    func remember(_ topology: Topology) {
        perform { connection in
            if !connection.topologies.contains(topology) { connection.topologies.append(topology) }
        }
    }

    /// Waits (polling cheaply) until connected; false if `timeout` passed first.
    func waitUntilConnected(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isConnected {
            if ContinuousClock.now >= deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func messageCount(queue: String) async throws -> Int {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            perform { connection in
                guard let session = connection.session else {
                    continuation.resume(throwing: MessagingError.unavailable("not connected to \(connection.configuration.description)"))
                    return
                }
                do {
                    continuation.resume(returning: try session.messageCount(queue))
                } catch {
                    continuation.resume(throwing: error)
                    connection.connectionLost(error)
                }
            }
        }
    }

    func publish(_ messages: [OutgoingMessage]) async throws {
        if messages.isEmpty { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            perform { $0.startBatch(messages, continuation: continuation) }
        }
    }

    func request(_ message: OutgoingMessage, timeout: Duration) async throws -> IncomingMessage {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<IncomingMessage, any Error>) in
            perform { $0.startRequest(message, timeout: timeout, continuation: continuation) }
        }
    }

    func addConsumer(_ registration: ConsumerRegistration) async -> Int {
        await withCheckedContinuation { continuation in
            perform { connection in
                let id = connection.nextConsumerId
                connection.nextConsumerId += 1
                connection.consumers[id] = registration
                if connection.session != nil { connection.startConsumer(id) }
                continuation.resume(returning: id)
            }
        }
    }

    /// Stops deliveries to a consumer; what it already received may still be settled.
    func removeConsumer(_ id: Int) async {
        await withCheckedContinuation { continuation in
            perform { connection in
                if let tag = connection.consumers.removeValue(forKey: id)?.tag, let session = connection.session {
                    do { try session.cancel(consumerTag: tag) } catch { connection.connectionLost(error) }
                }
                continuation.resume()
            }
        }
    }

    // MARK: The thread

    private func run() {
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

    private func runPendingJobs() {
        let jobs = pendingJobs.withLock { jobs -> [Job] in
            defer { jobs?.removeAll(keepingCapacity: true) }
            return jobs ?? []
        }
        for job in jobs { job(self) }
    }

    /// Sleeps until the socket is readable, a job arrives, or `deadline` / the nearest operation deadline.
    private func waitForWork(until deadline: ContinuousClock.Instant, socket: Int32?) {
        var until = deadline
        for batch in batches.values { until = min(until, batch.deadline) }
        for waiter in replyWaiters.values { until = min(until, waiter.deadline) }
        let remaining = ContinuousClock.now.duration(to: until)
        let milliseconds = max(0, Int32(clamping: remaining.components.seconds * 1000
            + remaining.components.attoseconds / 1_000_000_000_000_000))
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        if let socket { fds.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        var drain = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &drain, drain.count) > 0 {}
    }

    private func connect() {
        do {
            let session = try AMQPSession(configuration: configuration, connectionName: name)
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
            backoff = .milliseconds(100)
            connectedFlag.store(true, ordering: .relaxed)
            connectedGauge.record(1)
        } catch {
            if session != nil { connectionLost(error) } else { scheduleReconnect(after: error) }
        }
    }

    private func startConsumer(_ id: Int) {
        guard let session, var registration = consumers[id] else { return }
        do {
            registration.tag = try session.consume(queue: registration.queue, prefetch: registration.prefetch, noAck: false)
            consumers[id] = registration
        } catch {
            connectionLost(error)
        }
    }

    /// Drops the session, fails what can no longer complete, and schedules a reconnect.
    private func connectionLost(_ error: any Error) {
        guard let lost = session else { return }
        session = nil
        lost.discard()
        connectedFlag.store(false, ordering: .relaxed)
        connectedGauge.record(0)
        failAllPending(MessagingError.connectionLost((error as? MessagingError)?.description ?? "\(error)"))
        scheduleReconnect(after: error)
    }

    private func scheduleReconnect(after error: any Error) {
        let reason = (error as? MessagingError)?.description ?? "\(error)"
        if everConnected {
            logger.warning("connection to \(configuration.description) lost: \(reason); reconnecting")
        } else {
            logger.info("cannot connect to \(configuration.description) yet: \(reason)")
        }
        nextAttempt = ContinuousClock.now + backoff
        backoff = min(backoff * 2, .seconds(5))
    }

    private func failAllPending(_ error: MessagingError) {
        for batch in batches.values { batch.continuation.resume(throwing: error) }
        batches.removeAll()
        sequenceToBatch.removeAll()
        mandatoryToBatch.removeAll()
        for waiter in replyWaiters.values { waiter.continuation.resume(throwing: error) }
        replyWaiters.removeAll()
        partial = nil
        for id in consumers.keys { consumers[id]?.tag = nil }
        replyConsumerTag = nil
    }

    private func shutDown() {
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

    // MARK: Publishing with confirms

    private func startBatch(_ messages: [OutgoingMessage], continuation: CheckedContinuation<Void, any Error>) {
        guard let session else {
            continuation.resume(throwing: MessagingError.unavailable("not connected to \(configuration.description)"))
            return
        }
        let id = nextBatchId
        nextBatchId += 1
        batches[id] = ConfirmBatch(remaining: messages.count, deadline: .now + confirmTimeout,
                                   continuation: continuation, messageIds: messages.map(\.messageId))
        do {
            for message in messages {
                if message.mandatory { mandatoryToBatch[message.messageId] = id }
                let sequence = try session.publish(message)
                sequenceToBatch[sequence] = id
            }
        } catch {
            connectionLost(error)
        }
    }

    private func confirm(upTo tag: UInt64, multiple: Bool, acked: Bool) {
        let tags: ClosedRange<UInt64> = multiple ? lowestUnconfirmed...max(tag, lowestUnconfirmed) : tag...tag
        for sequence in tags {
            guard let id = sequenceToBatch.removeValue(forKey: sequence), var batch = batches[id] else { continue }
            batch.remaining -= 1
            if !acked, batch.failure == nil { batch.failure = .nacked(messageId: batch.messageIds.first ?? "?") }
            batches[id] = batch
            if batch.remaining == 0 { finishBatch(id) }
        }
        while lowestUnconfirmed <= tag, sequenceToBatch[lowestUnconfirmed] == nil { lowestUnconfirmed += 1 }
    }

    private func finishBatch(_ id: Int) {
        guard let batch = batches.removeValue(forKey: id) else { return }
        for messageId in batch.messageIds { mandatoryToBatch.removeValue(forKey: messageId) }
        if let failure = batch.failure {
            batch.continuation.resume(throwing: failure)
        } else {
            batch.continuation.resume()
        }
    }

    // MARK: Request / reply

    private func startRequest(_ message: OutgoingMessage, timeout: Duration,
                              continuation: CheckedContinuation<IncomingMessage, any Error>) {
        guard let session, replyConsumerTag != nil else {
            continuation.resume(throwing: MessagingError.unavailable("not connected to \(configuration.description)"))
            return
        }
        var message = message
        message.replyTo = "amq.rabbitmq.reply-to"
        message.persistent = false
        let correlationId = message.correlationId ?? message.messageId
        message.correlationId = correlationId
        replyWaiters[correlationId] = ReplyWaiter(deadline: .now + timeout, continuation: continuation)
        do {
            try session.publish(message)
        } catch {
            connectionLost(error)
        }
    }

    private func expireDeadlines() {
        let now = ContinuousClock.now
        for (id, batch) in batches where batch.deadline <= now {
            batches[id]?.failure = .timeout("publisher confirm for \(batch.messageIds.count) message(s)")
            batches[id]?.remaining = 0
            finishBatch(id)
        }
        for (correlationId, waiter) in replyWaiters where waiter.deadline <= now {
            replyWaiters.removeValue(forKey: correlationId)
            waiter.continuation.resume(throwing: MessagingError.timeout("no reply to request \(correlationId)"))
        }
    }

    // MARK: Frames

    private func readAvailableFrames() {
        var handled = 0
        while let session = self.session, handled < 512 {
            do {
                guard let frame = try session.nextFrame() else { break }
                try handle(frame)
                handled += 1
            } catch {
                connectionLost(error)
                return
            }
        }
        session?.releaseBuffers()
    }

    private func handle(_ frame: amqp_frame_t) throws(MessagingError) {
        switch frame.frame_type {
        case STITCH_FRAME_METHOD:
            try handleMethod(frame.payload.method)
        case STITCH_FRAME_HEADER:
            guard partial != nil else { return }
            let properties = frame.payload.properties.decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
            partial!.bodySize = Int(frame.payload.properties.body_size)
            partial!.properties = Self.copy(properties)
            if partial!.bodySize == 0 { completeContent() }
        case STITCH_FRAME_BODY:
            guard partial != nil else { return }
            partial!.body += frame.payload.body_fragment.array
            if partial!.body.count >= partial!.bodySize { completeContent() }
        default:
            break  // heartbeats are handled inside librabbitmq
        }
    }

    private func handleMethod(_ method: amqp_method_t) throws(MessagingError) {
        switch method.id {
        case STITCH_BASIC_DELIVER:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            partial = PartialContent(
                kind: .delivery(consumerTag: deliver.consumer_tag.string, deliveryTag: deliver.delivery_tag,
                                redelivered: deliver.redelivered != 0),
                exchange: deliver.exchange.string, routingKey: deliver.routing_key.string)
        case STITCH_BASIC_RETURN:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            partial = PartialContent(
                kind: .returned(code: returned.reply_code, text: returned.reply_text.string),
                exchange: returned.exchange.string, routingKey: returned.routing_key.string)
        case STITCH_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(upTo: ack.delivery_tag, multiple: ack.multiple != 0, acked: true)
        case STITCH_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(upTo: nack.delivery_tag, multiple: nack.multiple != 0, acked: false)
        case STITCH_BASIC_CANCEL:
            // The broker cancelled a consumer (its queue was deleted): start over so it is re-declared.
            throw .connectionLost("the broker cancelled a consumer")
        case STITCH_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            throw .connectionLost("channel closed by broker: \(close.reply_code) \(close.reply_text.string)")
        case STITCH_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            session?.acknowledgeServerClose()
            throw .connectionLost("connection closed by broker: \(close.reply_code) \(close.reply_text.string)")
        case STITCH_CONNECTION_BLOCKED:
            logger.warning("broker blocked publishing (resource alarm)")
        case STITCH_CONNECTION_UNBLOCKED:
            logger.info("broker unblocked publishing")
        default:
            break
        }
    }

    private func completeContent() {
        guard let content = partial else { return }
        partial = nil
        var message = content.properties
        message.exchange = content.exchange
        message.routingKey = content.routingKey
        message.body = content.body
        switch content.kind {
        case .delivery(let consumerTag, let deliveryTag, let redelivered):
            message.redelivered = redelivered
            if consumerTag == replyConsumerTag {
                if let correlationId = message.correlationId, let waiter = replyWaiters.removeValue(forKey: correlationId) {
                    waiter.continuation.resume(returning: message)
                }
                return
            }
            guard let registration = consumers.values.first(where: { $0.tag == consumerTag }) else { return }
            registration.sink(Delivery(message: message, queue: registration.queue, tag: deliveryTag,
                                       generation: generation, settler: self))
        case .returned(let code, let text):
            let error = MessagingError.unroutable(exchange: content.exchange, routingKey: content.routingKey,
                                                  reason: "\(code) \(text)")
            if let correlationId = message.correlationId, let waiter = replyWaiters.removeValue(forKey: correlationId) {
                waiter.continuation.resume(throwing: error)
            } else if let messageId = message.messageId, let id = mandatoryToBatch[messageId], batches[id]?.failure == nil {
                batches[id]?.failure = error
            }
        }
    }

    private static func copy(_ properties: amqp_basic_properties_t) -> IncomingMessage {
        let flags = properties._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        var message = IncomingMessage(exchange: "", routingKey: "", body: [])
        if has(AMQP_BASIC_MESSAGE_ID_FLAG) { message.messageId = properties.message_id.string }
        if has(AMQP_BASIC_CORRELATION_ID_FLAG) { message.correlationId = properties.correlation_id.string }
        if has(AMQP_BASIC_TYPE_FLAG) { message.type = properties.type.string }
        if has(AMQP_BASIC_REPLY_TO_FLAG) { message.replyTo = properties.reply_to.string }
        if has(AMQP_BASIC_HEADERS_FLAG) {
            message.headers = properties.headers.stringDictionary
            message.deliveryCount = message.headers["x-delivery-count"].flatMap { Int($0) } ?? 0
        }
        return message
    }
}

extension AMQPConnection: DeliverySettler {
    func ack(_ tag: UInt64, generation: UInt64) {
        perform { connection in
            guard connection.generation == generation, let session = connection.session else { return }
            do { try session.ack(tag) } catch { connection.connectionLost(error) }
        }
    }

    func reject(_ tag: UInt64, generation: UInt64, requeue: Bool) {
        perform { connection in
            guard connection.generation == generation, let session = connection.session else { return }
            do { try session.reject(tag, requeue: requeue) } catch { connection.connectionLost(error) }
        }
    }
}
