import Foundation
import Logging
import Metrics
import Synchronization

/// Thrown by a handler for a message that can never succeed (it cannot be decoded, say): it goes
/// to the dead-letter queue at once instead of being retried.
public struct PermanentFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a handler for every message of a queue: ack after the handler returned (it commits its
/// transaction first), retry or dead-letter when it throws. Records handled/failed counts and
/// latency per message type; beats a heartbeat while it makes progress.
public struct MessageConsumer: Sendable {
    public let bus: any MessageBus
    public let queue: String
    public let prefetch: Int
    public let policy: RetryPolicy
    public let logger: Logger
    let progress: Progress
    let handledMetrics = HandledMetrics()

    public init(
        bus: any MessageBus, queue: String, prefetch: Int = 32, policy: RetryPolicy = RetryPolicy(), logger: Logger,
        monitor: LoopMonitor? = nil
    ) {
        self.bus = bus
        self.queue = queue
        self.prefetch = prefetch
        self.policy = policy
        self.logger = logger
        self.progress = Progress()
        // Stalled = messages in hand and none finished for the allowance (say, retrying a long outage).
        let progress = self.progress
        progress.heartbeat = monitor?.register("consumer:\(queue)", busy: { progress.inFlight > 0 }) ?? .none
    }

    /// Consumes until the calling task is cancelled, then finishes what is in flight.
    public func run(_ handler: @escaping @Sendable (IncomingMessage) async throws -> Void) async throws {
        try await bus.consume(queue: queue, prefetch: prefetch) { delivery in
            await process(delivery, handler)
        }
    }

    func process(_ delivery: Delivery, _ handler: @Sendable (IncomingMessage) async throws -> Void) async {
        let message = delivery.message
        let type = message.type ?? message.routingKey
        var logger = logger
        logger[metadataKey: "message.id"] = .string(message.messageId ?? "-")
        logger[metadataKey: "correlation.id"] = .string(message.correlationId ?? "-")
        logger[metadataKey: "message.type"] = .string(type)
        progress.started()
        defer { progress.finished() }

        if message.deliveryCount >= policy.poisonDeliveries {
            failed(type, "dead")
            logger.error("message delivered \(message.deliveryCount) times without being settled; parked in \(queue).dead before it is handled again")
            await deadLetter(
                delivery, reason: "delivered \(message.deliveryCount) times without being settled (it may crash or hang its consumer)",
                attempts: message.deliveryCount)
            return
        }
        let outcome = await policy.retry(givesUp: policy.parks) {
            let started = ContinuousClock.now
            try await handler(message)
            handled(delivery, type: type, nanoseconds: started.duration(to: .now).nanoseconds)
        } willRetry: { failure in
            failed(type, failure.kind == .transient ? "transient" : "retry")
            if failure.kind != .transient {
                logger.warning("handler failed (attempt \(failure.attempts) of \(policy.maxAttempts)), will retry: \(failure.error)")
            } else if failure.isWorthLogging {
                logger.warning("handler hit an outage, retrying until it passes (attempt \(failure.attempts)): \(failure.error)")
            }
        }
        switch outcome {
        case .succeeded:
            return
        case .gaveUp(let error, let attempts):
            failed(type, "dead")
            logger.error("message parked in \(queue).dead after \(attempts) attempt(s): \(FailureKind.describe(error))")
            await deadLetter(delivery, reason: FailureKind.describe(error), attempts: attempts)
        case .interrupted:
            delivery.reject(requeue: true)
        }
    }

    func failed(_ type: String, _ outcome: String) {
        Counter(label: "stitch_messages_failed_total", dimensions: [("queue", queue), ("type", type), ("outcome", outcome)]).increment()
    }

    /// A delivery whose handler committed: its time and count, then the ack (one message or one of a batch).
    func handled(_ delivery: Delivery, type: String, nanoseconds: Int64) {
        recordHandled(type: type, nanoseconds: nanoseconds)
        delivery.ack()
    }

    func recordHandled(type: String, nanoseconds: Int64) {
        let (duration, count) = handledMetrics.handles(type: type, queue: queue)
        duration.recordNanoseconds(nanoseconds)
        count.increment()
    }

    /// Publishes a copy with the reason to `<queue>.dead` (confirmed) and only then acks the original.
    /// While the broker cannot take the copy it keeps trying; at shutdown the original goes back to
    /// the queue, so nothing is ever dropped.
    private func deadLetter(_ delivery: Delivery, reason: String, attempts: Int) async {
        let copy = DeadLetter.copy(of: delivery.message, queue: queue, reason: reason, attempts: attempts)
        let outcome = await policy.retry(givesUp: { _, _ in false }) {
            try await bus.publish(copy)
            delivery.ack()
        } willRetry: { failure in
            logger.error("could not park the message in \(queue).dead (\(failure.error)); trying again")
        }
        if case .interrupted = outcome { delivery.reject(requeue: true) }
    }
}

/// The handled-message metrics of one consumer, by message type: made once per type, not per message.
final class HandledMetrics: Sendable {
    private let byType = Mutex<[String: (Timer, Counter)]>([:])

    func handles(type: String, queue: String) -> (Timer, Counter) {
        byType.withLock { known in
            if let handles = known[type] { return handles }
            let handles = (
                Timer(label: "stitch_message_handler_duration_seconds", dimensions: [("type", type)]),
                Counter(label: "stitch_messages_handled_total", dimensions: [("queue", queue), ("type", type)])
            )
            known[type] = handles
            return handles
        }
    }
}

/// Counts a consumer's messages in hand and beats its heartbeat as each one finishes.
final class Progress: Sendable {
    private let count = Atomic<Int>(0)
    private let beat = Mutex<LoopHeartbeat>(.none)

    var heartbeat: LoopHeartbeat {
        get { beat.withLock { $0 } }
        set { beat.withLock { $0 = newValue } }
    }

    var inFlight: Int { count.load(ordering: .relaxed) }

    /// Going from idle to busy is a beat too: the clock of a stall starts when work arrives.
    func started() {
        if count.add(1, ordering: .relaxed).oldValue == 0 { heartbeat.beat() }
    }

    func finished() {
        count.subtract(1, ordering: .relaxed)
        heartbeat.beat()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
