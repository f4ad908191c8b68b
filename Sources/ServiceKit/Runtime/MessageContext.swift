import Contracts
import Logging
import Messaging
import PostgresNIO

/// What a handler gets besides its message: the open transaction, who asked, and a way to emit
/// events and commands that commit with it (through the outbox).
public struct MessageContext: Sendable {
    public let connection: PostgresConnection
    public let header: EnvelopeHeader
    public let service: String
    public let logger: Logger
    /// For asking another service (a query over request/reply) while handling this message.
    public let bus: any MessageBus
    /// Handled inside a batch of messages (one transaction for several): asking another service is then
    /// refused with `RunsAlone`, so the batch is rolled back and this message asks alone.
    var inBatch = false

    public var actor: Actor? { header.actor }

    /// Records an event to be published once this transaction commits.
    public func publish<E: Event>(_ event: E) async throws {
        try await Outbox.enqueue([try message(for: event)], on: connection, logger: logger)
    }

    /// `event` as this message's consequence, ready for the outbox.
    public func message<E: Event>(for event: E) throws -> OutgoingMessage {
        try .event(Envelope(header: header.caused(type: E.messageType), payload: event))
    }

    /// Asks another service and waits for its answer, as the same actor and correlation. Keep it to
    /// queries: the answer is not part of this transaction.
    public func ask<Q: Query>(_ query: Q, timeout: Duration = .seconds(5)) async throws -> Q.Reply {
        try mayWait(for: Q.messageType)
        return try await bus.send(Envelope(header: header.caused(type: Q.messageType), payload: query), timeout: timeout)
    }

    /// Records a command for another service, sent once this transaction commits (no reply awaited).
    public func send<C: Command>(_ command: C, idempotencyKey: String? = nil) async throws {
        let envelope = Envelope(header: header.caused(type: C.messageType, idempotencyKey: idempotencyKey), payload: command)
        var message = try OutgoingMessage.request(envelope)
        message.persistent = true
        try await Outbox.enqueue([message], on: connection, logger: logger)
    }

    /// A batch never waits on another service (see `inBatch`).
    func mayWait(for query: String) throws {
        if inBatch { throw RunsAlone("asks \(query) of another service") }
    }
}
