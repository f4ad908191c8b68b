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

    public var actor: Actor? { header.actor }

    /// Records an event to be published once this transaction commits.
    public func publish<E: Event>(_ event: E) async throws {
        let envelope = Envelope(header: header.caused(type: E.messageType), payload: event)
        try await Outbox.enqueue([try .event(envelope)], on: connection, logger: logger)
    }

    /// Records a command for another service, sent once this transaction commits (no reply awaited).
    public func send<C: Command>(_ command: C, idempotencyKey: String? = nil) async throws {
        let envelope = Envelope(header: header.caused(type: C.messageType, idempotencyKey: idempotencyKey), payload: command)
        var message = try OutgoingMessage.request(envelope)
        message.persistent = true
        try await Outbox.enqueue([message], on: connection, logger: logger)
    }
}
