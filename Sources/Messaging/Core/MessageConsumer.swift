import Foundation
import Logging
import Metrics

/// Thrown by a handler for a message that can never succeed (it cannot be decoded, say): it goes
/// to the dead-letter queue at once instead of being retried.
public struct PermanentFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// How a consumer treats a failing handler: retry with a growing pause, then park the message in
/// `<queue>.dead` with the reason attached. The broker's own delivery limit (higher) stays as the
/// last resort for a message that crashes the process every time.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(2)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    func delay(afterAttempt attempt: Int) -> Duration {
        min(baseDelay * (1 << min(attempt - 1, 16)), maxDelay)
    }
}

/// Runs a handler for every message of a queue: ack after the handler returned (it commits its
/// transaction first), retry or dead-letter when it throws. Records handled/failed counts and
/// latency per message type.
public struct MessageConsumer: Sendable {
    public let bus: any MessageBus
    public let queue: String
    public let prefetch: Int
    public let policy: RetryPolicy
    public let logger: Logger

    public init(bus: any MessageBus, queue: String, prefetch: Int = 32, policy: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.bus = bus
        self.queue = queue
        self.prefetch = prefetch
        self.policy = policy
        self.logger = logger
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
        let started = ContinuousClock.now
        do {
            try await handler(message)
            Timer(label: "stitch_message_handler_duration_seconds", dimensions: [("type", type)])
                .recordNanoseconds(started.duration(to: .now).nanoseconds)
            Counter(label: "stitch_messages_handled_total", dimensions: [("queue", queue), ("type", type)]).increment()
            delivery.ack()
        } catch {
            let attempt = message.deliveryCount + 1
            let permanent = error is PermanentFailure
            if permanent || attempt >= policy.maxAttempts {
                Counter(label: "stitch_messages_failed_total", dimensions: [("queue", queue), ("type", type), ("outcome", "dead")]).increment()
                logger.error("message parked in \(queue).dead after \(attempt) attempt(s): \(error)")
                await deadLetter(delivery, reason: "\(error)", attempts: attempt)
            } else {
                Counter(label: "stitch_messages_failed_total", dimensions: [("queue", queue), ("type", type), ("outcome", "retry")]).increment()
                logger.warning("handler failed (attempt \(attempt) of \(policy.maxAttempts)), will retry: \(error)")
                try? await Task.sleep(for: policy.delay(afterAttempt: attempt))
                delivery.reject(requeue: true)
            }
        }
    }

    /// Publishes a copy with the reason to `<queue>.dead` (confirmed) and only then acks the original;
    /// if that fails the original goes back to the queue, so nothing is ever dropped.
    private func deadLetter(_ delivery: Delivery, reason: String, attempts: Int) async {
        let message = delivery.message
        var headers = message.headers.filter { !$0.key.hasPrefix("x-") }
        headers["x-stitch-error"] = String(reason.prefix(2000))
        headers["x-stitch-queue"] = queue
        headers["x-stitch-attempts"] = String(attempts)
        headers["x-stitch-failed-at"] = Date().formatted(.iso8601)
        headers["x-stitch-routing-key"] = message.routingKey
        let copy = OutgoingMessage(
            exchange: Topology.deadExchange, routingKey: "\(queue).dead", body: message.body,
            messageId: message.messageId ?? UUID().uuidString, correlationId: message.correlationId,
            type: message.type, headers: headers, mandatory: true)
        do {
            try await bus.publish(copy)
            delivery.ack()
        } catch {
            logger.error("could not park the message in \(queue).dead (\(error)); returning it to the queue")
            try? await Task.sleep(for: policy.maxDelay)
            delivery.reject(requeue: true)
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
