import Logging
import Synchronization

/// `MessageBus` over RabbitMQ through librabbitmq. Connections, each on its own thread:
/// one for confirmed publishing (and replies), one for requests (direct reply-to), and one per
/// `consume` call, so a busy consumer never delays a publisher.
public final class AMQPMessageBus: MessageBus {
    /// The broker's nodes: one, or several of one cluster (each connection fails over among them).
    public let endpoints: [AMQPConfiguration]
    private let name: String
    private let logger: Logger
    /// How long an operation waits for a (re)connection before it fails with `unavailable`.
    private let connectionWait: Duration
    private let monitor: LoopMonitor?
    private let publisher: AMQPConnection
    private let state = Mutex<(requester: AMQPConnection?, topologies: [Topology], consumers: [AMQPConnection], closed: Bool)>(
        (nil, [], [], false))

    /// - Parameter url: one `amqp://` URL, or several nodes of one cluster, comma separated.
    /// - Parameter name: shown in logs and metrics, e.g. the service and instance.
    /// - Parameter monitor: where each connection's thread beats (see `LoopMonitor`).
    public init(
        url: String, name: String, logger: Logger, connectionWait: Duration = .seconds(3),
        monitor: LoopMonitor? = nil
    ) throws {
        endpoints = try AMQPEndpoints.parse(url)
        self.name = name
        self.logger = logger
        self.connectionWait = connectionWait
        self.monitor = monitor
        publisher = AMQPConnection(name: "\(name).publish", endpoints: endpoints, confirms: true, logger: logger, monitor: monitor)
    }

    public func messageCount(queue: String) async throws -> Int {
        try await connected(publisher)
        return try await publisher.messageCount(queue: queue)
    }

    public func declare(_ topology: Topology) async throws {
        state.withLock { $0.topologies.append(topology) }
        _ = await publisher.waitUntilConnected(timeout: connectionWait)
        try await publisher.declare(topology)
    }

    public func publish(_ messages: [OutgoingMessage]) async throws {
        try await connected(publisher)
        try await publisher.publish(messages)
    }

    public func reply(_ messages: [OutgoingMessage]) {
        publisher.sendUnconfirmed(messages)
    }

    public func request(_ message: OutgoingMessage, timeout: Duration) async throws -> IncomingMessage {
        let requester = try state.withLock { state -> AMQPConnection in
            if state.closed { throw MessagingError.closed }
            if let requester = state.requester { return requester }
            let requester = AMQPConnection(
                name: "\(name).request", endpoints: endpoints, replyConsumer: true,
                logger: logger, monitor: monitor)
            state.requester = requester
            return requester
        }
        try await connected(requester)
        return try await requester.request(message, timeout: timeout)
    }

    public func consume(queue: String, prefetch: Int, handler: @escaping @Sendable (Delivery) async -> Void) async throws {
        try await consumeTogether(queue: queue, prefetch: prefetch) { deliveries in
            await withDiscardingTaskGroup { group in
                for delivery in deliveries { group.addTask { await handler(delivery) } }
            }
        }
    }

    public func consumeTogether(queue: String, prefetch: Int, handler: @escaping @Sendable ([Delivery]) async -> Void) async throws {
        let connection = AMQPConnection(
            name: "\(name).consume.\(queue)", endpoints: endpoints, logger: logger,
            monitor: monitor)
        let topologies = try state.withLock { state in
            if state.closed { throw MessagingError.closed }
            state.consumers.append(connection)
            return state.topologies
        }
        for topology in topologies { connection.remember(topology) }
        let (arrivals, continuation) = AsyncStream.makeStream(of: [Delivery].self)
        let consumerId = await connection.addConsumer(
            .init(
                queue: queue, prefetch: prefetch, sink: { continuation.yield($0) }, tag: nil))
        await withTaskCancellationHandler {
            // At most `prefetch` deliveries are unsettled, so at most that many are in hand at once.
            await withDiscardingTaskGroup { group in
                for await deliveries in arrivals {
                    group.addTask { await handler(deliveries) }
                }
            }
        } onCancel: {
            continuation.finish()
        }
        // Handlers in flight have settled; their acks are queued before these two jobs.
        await connection.removeConsumer(consumerId)
        await connection.close()
        state.withLock { $0.consumers.removeAll { $0 === connection } }
    }

    public func shutdown() async {
        let (requester, consumers) = state.withLock { state in
            state.closed = true
            return (state.requester, state.consumers)
        }
        for consumer in consumers { await consumer.close() }
        await requester?.close()
        await publisher.close()
    }

    /// Whether the publishing connection is up (for readiness checks).
    public var isConnected: Bool { publisher.isConnected }

    private func connected(_ connection: AMQPConnection) async throws {
        guard await connection.waitUntilConnected(timeout: connectionWait) else {
            throw MessagingError.unavailable("no connection to \(endpoints.map(\.description).joined(separator: ", "))")
        }
    }
}
