import Foundation
import Synchronization

/// A broker in memory with the semantics Stitch relies on — direct/topic routing, mandatory
/// returns, prefetch, ack/requeue with delivery counts, delivery limit with dead-lettering,
/// request/reply — so domain services can be unit-tested without RabbitMQ.
public final class InMemoryMessageBus: MessageBus, DeliverySettler {
    private struct Entry {
        var message: IncomingMessage
    }

    private struct Consumer {
        var prefetch: Int
        var unsettled: Int = 0
        var sink: @Sendable (Delivery) -> Void
    }

    private struct QueueState {
        var spec: Topology.Queue
        var ready: [Entry] = []
        var unacked: [UInt64: (entry: Entry, consumer: Int)] = [:]
        var consumers: [Int: Consumer] = [:]
    }

    private struct State {
        var exchanges: [String: Topology.ExchangeKind] = [:]
        var queues: [String: QueueState] = [:]
        var bindings: [Topology.Binding] = []
        var replyWaiters: [String: CheckedContinuation<IncomingMessage, any Error>] = [:]
        var nextTag: UInt64 = 1
        var nextConsumer = 0
        var tagQueue: [UInt64: String] = [:]
        var closed = false
        /// Requests answered at once, by message type, without a consumer (`answer`).
        var responders: [String: @Sendable (IncomingMessage) -> [UInt8]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func declare(_ topology: Topology) async throws {
        state.withLock { state in
            for exchange in topology.exchanges { state.exchanges[exchange.name] = exchange.kind }
            for queue in topology.queues where state.queues[queue.name] == nil {
                state.queues[queue.name] = QueueState(spec: queue)
            }
            for binding in topology.bindings where !state.bindings.contains(binding) {
                state.bindings.append(binding)
            }
        }
    }

    public func publish(_ messages: [OutgoingMessage]) async throws {
        try route(messages)
    }

    public func reply(_ messages: [OutgoingMessage]) {
        try? route(messages)
    }

    private func route(_ messages: [OutgoingMessage]) throws {
        try state.withLock { state in
            if state.closed { throw MessagingError.closed }
            for message in messages { try self.route(message, in: &state) }
        }
    }

    public func request(_ message: OutgoingMessage, timeout: Duration) async throws -> IncomingMessage {
        var message = message
        let correlationId = message.correlationId ?? message.messageId
        message.correlationId = correlationId
        message.replyTo = "amq.rabbitmq.reply-to.\(correlationId)"
        let request = message
        return try await withThrowingTaskGroup(of: IncomingMessage.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    do {
                        try self.state.withLock { state in
                            state.replyWaiters[correlationId] = continuation
                            try self.route(request, in: &state)
                        }
                    } catch {
                        self.state.withLock { _ = $0.replyWaiters.removeValue(forKey: correlationId) }
                        continuation.resume(throwing: error)
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                let waiter = self.state.withLock { $0.replyWaiters.removeValue(forKey: correlationId) }
                waiter?.resume(throwing: MessagingError.timeout("no reply to request \(correlationId)"))
                throw MessagingError.timeout("no reply to request \(correlationId)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    public func consume(queue: String, prefetch: Int, handler: @escaping @Sendable (Delivery) async -> Void) async throws {
        let (deliveries, continuation) = AsyncStream.makeStream(of: Delivery.self)
        let id = try state.withLock { state -> Int in
            guard state.queues[queue] != nil else { throw MessagingError.protocolError("no queue \(queue)") }
            let id = state.nextConsumer
            state.nextConsumer += 1
            state.queues[queue]!.consumers[id] = Consumer(prefetch: max(prefetch, 1), sink: { continuation.yield($0) })
            dispatch(queue, in: &state)
            return id
        }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await delivery in deliveries { group.addTask { await handler(delivery) } }
            }
        } onCancel: {
            continuation.finish()
        }
        // Like a closed channel: whatever the consumer did not settle goes back to the queue, and
        // (as in a quorum queue) that counts as a delivery.
        state.withLock { state in
            guard var queueState = state.queues[queue] else { return }
            queueState.consumers.removeValue(forKey: id)
            for (tag, unacked) in queueState.unacked where unacked.consumer == id {
                queueState.unacked.removeValue(forKey: tag)
                var entry = unacked.entry
                entry.message.redelivered = true
                entry.message.deliveryCount += 1
                queueState.ready.insert(entry, at: 0)
            }
            state.queues[queue] = queueState
            dispatch(queue, in: &state)
        }
    }

    /// Answers every request routed by `type` at once with `body`'s reply, as its owner would: a unit test
    /// of a handler that asks another service needs no consumer running beside it.
    public func answer(_ type: String, with body: @escaping @Sendable (IncomingMessage) -> [UInt8]) {
        state.withLock { $0.responders[type] = body }
    }

    public func shutdown() async {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.replyWaiters.removeAll() }
            return Array(state.replyWaiters.values)
        }
        for waiter in waiters { waiter.resume(throwing: MessagingError.closed) }
    }

    public func messageCount(queue: String) async throws -> Int {
        state.withLock { $0.queues[queue]?.ready.count ?? 0 }
    }

    /// How many messages wait in a queue (ready + unsettled), for tests.
    public func depth(of queue: String) -> Int {
        state.withLock { state in
            state.queues[queue].map { $0.ready.count + $0.unacked.count } ?? 0
        }
    }

    // MARK: DeliverySettler

    public func ack(_ tag: UInt64, generation: UInt64) {
        state.withLock { state in
            guard let queue = state.tagQueue.removeValue(forKey: tag),
                let unacked = state.queues[queue]?.unacked.removeValue(forKey: tag)
            else { return }
            state.queues[queue]?.consumers[unacked.consumer]?.unsettled -= 1
            dispatch(queue, in: &state)
        }
    }

    public func reject(_ tag: UInt64, generation: UInt64, requeue: Bool) {
        state.withLock { state in
            guard let queue = state.tagQueue.removeValue(forKey: tag),
                let unacked = state.queues[queue]?.unacked.removeValue(forKey: tag)
            else { return }
            state.queues[queue]?.consumers[unacked.consumer]?.unsettled -= 1
            var entry = unacked.entry
            entry.message.deliveryCount += 1
            entry.message.redelivered = true
            let spec = state.queues[queue]!.spec
            let overLimit = spec.deliveryLimit.map { entry.message.deliveryCount > $0 } ?? false
            if requeue && !overLimit {
                state.queues[queue]?.ready.insert(entry, at: 0)
            } else if spec.deadLettered, state.queues[spec.deadLetterQueue] != nil {
                state.queues[spec.deadLetterQueue]?.ready.append(entry)
                dispatch(spec.deadLetterQueue, in: &state)
            }
            dispatch(queue, in: &state)
        }
    }

    // MARK: Routing

    private func route(_ message: OutgoingMessage, in state: inout State) throws {
        let incoming = IncomingMessage(
            exchange: message.exchange, routingKey: message.routingKey, body: message.body, messageId: message.messageId,
            correlationId: message.correlationId, type: message.type, replyTo: message.replyTo, headers: message.headers)
        if message.exchange.isEmpty {
            if message.routingKey.hasPrefix("amq.rabbitmq.reply-to.") {
                let correlationId = String(message.routingKey.dropFirst("amq.rabbitmq.reply-to.".count))
                state.replyWaiters.removeValue(forKey: correlationId)?.resume(returning: incoming)
                return
            }
            guard state.queues[message.routingKey] != nil else {
                if message.mandatory { throw MessagingError.unroutable(exchange: "", routingKey: message.routingKey, reason: "NO_ROUTE") }
                return
            }
            state.queues[message.routingKey]!.ready.append(Entry(message: incoming))
            dispatch(message.routingKey, in: &state)
            return
        }
        if message.exchange == Topology.commandsExchange, let responder = state.responders[message.routingKey],
            let reply = OutgoingMessage.reply(to: incoming, body: responder(incoming))
        {
            try route(reply, in: &state)
            return
        }
        guard let kind = state.exchanges[message.exchange] else {
            throw MessagingError.connectionLost("NOT_FOUND - no exchange '\(message.exchange)'")
        }
        let targets = Set(
            state.bindings.filter { binding in
                binding.exchange == message.exchange
                    && (kind == .fanout
                        || (kind == .direct && binding.routingKey == message.routingKey)
                        || (kind == .topic && topicMatches(pattern: binding.routingKey, routingKey: message.routingKey)))
            }.map(\.queue))
        if targets.isEmpty && message.mandatory {
            throw MessagingError.unroutable(exchange: message.exchange, routingKey: message.routingKey, reason: "NO_ROUTE")
        }
        for queue in targets.sorted() where state.queues[queue] != nil {
            state.queues[queue]!.ready.append(Entry(message: incoming))
            dispatch(queue, in: &state)
        }
    }

    private func dispatch(_ queue: String, in state: inout State) {
        guard var queueState = state.queues[queue] else { return }
        defer { state.queues[queue] = queueState }
        while !queueState.ready.isEmpty {
            guard
                let (id, consumer) = queueState.consumers.sorted(by: { $0.value.unsettled < $1.value.unsettled })
                    .first(where: { $0.value.unsettled < $0.value.prefetch })
            else { return }
            let entry = queueState.ready.removeFirst()
            let tag = state.nextTag
            state.nextTag += 1
            state.tagQueue[tag] = queue
            queueState.unacked[tag] = (entry, id)
            queueState.consumers[id]!.unsettled += 1
            consumer.sink(Delivery(message: entry.message, queue: queue, tag: tag, generation: 0, settler: self))
        }
    }
}
