import Foundation
import Logging
import Metrics
import Synchronization

/// Batched consuming, for event followers: one transaction (and so one commit) for many events.
///
/// The deliveries that are waiting when the previous batch has finished — at most `maxBatch` — go
/// to `batch` together; it applies them all in one transaction and returns after the commit, and
/// only then is each one acked (acks after commit, as for single messages). While one batch is
/// being handled the next one gathers, so batches grow with the load and a lone event is handled at
/// once. One batch at a time per consumer: batches of one instance never wait on each other's locks.
///
/// Failures keep the single-message rules (`RetryPolicy`, `FailureKind`):
/// - an outage fails the whole batch: it is retried, all together, until the outage passes;
/// - any other failure (a message that can never succeed, a bug) rolls the batch back and its
///   messages are then handled one by one with `single`, each in its own transaction: the good
///   ones are applied, only the bad one is retried or parked in `<queue>.dead`;
/// - a message delivered `poisonDeliveries` times without a settle is parked before it is handled,
///   and never joins a batch.
///
/// `joins` picks the messages that may be batched; the others are handled one by one as they come,
/// beside the batches (a command queue batches only its hot, short commands).
extension MessageConsumer {
    public func runBatched(
        maxBatch: Int, linger: Duration = .zero, joins: @escaping @Sendable (IncomingMessage) -> Bool = { _ in true },
        batch: @escaping @Sendable ([IncomingMessage]) async throws -> Void,
        single: @escaping @Sendable (IncomingMessage) async throws -> Void
    ) async throws {
        guard maxBatch > 1 else { return try await run(single) }
        let batcher = DeliveryBatcher(maxBatch: maxBatch, linger: linger)
        try await bus.consumeTogether(queue: queue, prefetch: prefetch) { arrived in
            var joining: [Delivery] = []
            await withDiscardingTaskGroup { group in
                for delivery in arrived {
                    if joins(delivery.message) { joining.append(delivery) } else { group.addTask { await process(delivery, single) } }
                }
                guard !joining.isEmpty else { return }
                await batcher.submit(joining) { deliveries in
                    await processBatch(deliveries, batch: batch, single: single)
                }
            }
        }
    }

    /// Handles `deliveries` as one batch (see `runBatched`) and settles every one of them.
    func processBatch(
        _ deliveries: [Delivery], batch: @Sendable ([IncomingMessage]) async throws -> Void,
        single: @Sendable (IncomingMessage) async throws -> Void
    ) async {
        var together: [Delivery] = []
        for delivery in deliveries {
            if delivery.message.deliveryCount >= policy.poisonDeliveries {
                await process(delivery, single)  // parked unhandled, as always
            } else {
                together.append(delivery)
            }
        }
        if together.count <= 1 {
            for delivery in together { await process(delivery, single) }
            return
        }
        for _ in together { progress.started() }
        defer { for _ in together { progress.finished() } }
        Recorder(label: "stitch_message_batch_size", dimensions: [("queue", queue)]).record(together.count)
        // Any failure but an outage splits the batch — unless it is shutting down: then it goes back whole.
        let outcome = await policy.retry(givesUp: { kind, _ in kind != .transient && !Task.isCancelled }) {
            let started = ContinuousClock.now
            try await batch(together.map(\.message))
            let each = started.duration(to: .now).nanoseconds / Int64(together.count)
            for delivery in together { recordHandled(type: delivery.message.type ?? delivery.message.routingKey, nanoseconds: each) }
            Delivery.ack(together)
        } willRetry: { failure in
            failed("batch", "transient")
            if failure.isWorthLogging {
                logger.warning("a batch of \(together.count) hit an outage, retrying until it passes (attempt \(failure.attempts)): \(failure.error)")
            }
        }
        switch outcome {
        case .succeeded:
            return
        case .gaveUp(let error, _):
            // Rolled back: now each on its own, so only the message that fails is retried or parked.
            logger.warning("a batch of \(together.count) from \(queue) failed (\(error)); handling its messages one by one")
            Counter(label: "stitch_message_batches_split_total", dimensions: [("queue", queue)]).increment()
            for delivery in together { await process(delivery, single) }
        case .interrupted:
            for delivery in together { delivery.reject(requeue: true) }
        }
    }
}

/// Gathers deliveries into batches. The deliveries that arrived together are submitted together, and
/// `submit` returns once they have been settled; the first caller that finds nobody working becomes the worker and
/// handles batch after batch — whatever has gathered, at most `maxBatch` — until none is waiting.
/// So every delivery is settled by the worker that took it, also at shutdown, and nothing waits for
/// a worker that is gone.
final class DeliveryBatcher: Sendable {
    private struct Waiting {
        var delivery: Delivery
        /// Resumed once the delivery is settled; nil for the worker's own delivery.
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private struct State {
        var waiting: [Waiting] = []
        var working = false
    }

    let maxBatch: Int
    let linger: Duration
    private let state = Mutex(State())

    init(maxBatch: Int, linger: Duration = .zero) {
        self.maxBatch = max(1, maxBatch)
        self.linger = linger
    }

    /// `deliveries` (arrived together) wait their turn as one; the call returns once all are settled.
    func submit(_ deliveries: [Delivery], _ handle: @Sendable ([Delivery]) async -> Void) async {
        let works = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let works = state.withLock { state -> Bool in
                if state.working {
                    // The continuation rides on the last: it is resumed once the batch holding it is settled, and
                    // batches are taken in order, so the earlier ones are settled by then too.
                    for (index, delivery) in deliveries.enumerated() {
                        state.waiting.append(Waiting(delivery: delivery, continuation: index == deliveries.count - 1 ? continuation : nil))
                    }
                    return false
                }
                state.working = true
                state.waiting += deliveries.map { Waiting(delivery: $0, continuation: nil) }
                return true
            }
            if works { continuation.resume(returning: true) }
        }
        guard works else { return }  // settled by the worker
        while true {
            // A batch that would start small waits `linger` once for more to arrive: fewer, fuller
            // transactions under load, for consumers whose latency nobody waits on (event followers).
            if linger > .zero, state.withLock({ $0.waiting.count < maxBatch }) {
                try? await Task.sleep(for: linger)
            }
            let batch = state.withLock { state -> [Waiting] in
                if state.waiting.isEmpty {
                    state.working = false
                    return []
                }
                let batch = Array(state.waiting.prefix(maxBatch))
                state.waiting.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { return }
            await handle(batch.map(\.delivery))
            for waiting in batch { waiting.continuation?.resume(returning: false) }
        }
    }
}
