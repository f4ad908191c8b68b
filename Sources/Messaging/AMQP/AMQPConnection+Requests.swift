import CRabbitMQ
import Foundation
import Logging

/// Request/reply over direct reply-to: waiters by correlation id, each with its deadline.
extension AMQPConnection {
    func startRequest(
        _ message: OutgoingMessage, timeout: Duration,
        continuation: CheckedContinuation<IncomingMessage, any Error>
    ) {
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

    func expireDeadlines() {
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
}
