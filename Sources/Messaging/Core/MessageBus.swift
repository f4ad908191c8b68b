/// The one messaging API of Stitch, with two implementations: `AMQPMessageBus` over librabbitmq
/// and `InMemoryMessageBus` for unit tests.
public protocol MessageBus: Sendable {
    /// Declares (idempotently) and remembers the topology, re-declaring it after every reconnect.
    func declare(_ topology: Topology) async throws

    /// Publishes and returns once the broker has confirmed every message. Throws `unroutable` for a
    /// mandatory message no queue takes, `nacked`, or `connectionLost` when the outcome is unknown.
    func publish(_ messages: [OutgoingMessage]) async throws

    /// Sends replies on direct reply-to and returns without waiting for the broker's confirm. A reply is
    /// at-most-once anyway (its caller retries with the same key and gets the stored outcome), so the
    /// worker that answers need not wait a broker round trip before taking its next message.
    func reply(_ messages: [OutgoingMessage])

    /// Delivers the queue's messages to `handler`, at most `prefetch` unsettled at once, until the
    /// calling task is cancelled; then stops taking new ones, lets the handlers in flight finish and
    /// settle, and returns. Survives connection loss (re-consumes after reconnecting).
    func consume(queue: String, prefetch: Int, handler: @escaping @Sendable (Delivery) async -> Void) async throws

    /// `consume`, with the deliveries that arrive together (one read of the socket) handed to `handler` in
    /// one call: one wake-up for many, for consumers that batch (`MessageConsumer.runBatched`).
    func consumeTogether(queue: String, prefetch: Int, handler: @escaping @Sendable ([Delivery]) async -> Void) async throws

    /// Request/reply on direct reply-to: publishes `message` (mandatory) and waits for the reply
    /// with the same correlation id, at most `timeout`.
    func request(_ message: OutgoingMessage, timeout: Duration) async throws -> IncomingMessage

    /// How many messages `queue` holds now (for watching `.dead` queues).
    func messageCount(queue: String) async throws -> Int

    /// Closes connections; pending operations fail with `closed`.
    func shutdown() async
}

extension MessageBus {
    public func publish(_ message: OutgoingMessage) async throws {
        try await publish([message])
    }

    /// One delivery at a time, for a transport that has no natural grouping.
    public func consumeTogether(queue: String, prefetch: Int, handler: @escaping @Sendable ([Delivery]) async -> Void) async throws {
        try await consume(queue: queue, prefetch: prefetch) { await handler([$0]) }
    }
}
