import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// What a handler gets besides its message: who asked, the service's clock, where its effects go (the
/// outbox and audit log of its transaction), and — for a store built on PostgreSQL — the open transaction.
/// A unit test makes one with `inMemory`, runs a handler on in-memory repositories and reads `RecordedEffects`.
public struct MessageContext: Sendable {
    public let header: EnvelopeHeader
    public let service: String
    public let logger: Logger
    /// For asking another service (a query over request/reply) while handling this message.
    public let bus: any MessageBus
    /// The service's clock and verifier (ServiceEnvironment.swift).
    public let environment: ServiceEnvironment
    /// The outbox and audit log this message's effects go to, committed with its records.
    public let effects: any TransactionEffects
    private let transaction: PostgresConnection?
    /// Handled by a batch handler (`HandlerRegistry.handleBatch`), which decides on what its service holds: it
    /// must never wait on another service while it holds its rows locked, so asking is refused there.
    var inBatch = false

    /// A message handled in an open PostgreSQL transaction (`MessageProcessor`).
    init(
        connection: PostgresConnection, header: EnvelopeHeader, service: String, environment: ServiceEnvironment,
        logger: Logger, bus: any MessageBus
    ) {
        self.header = header
        self.service = service
        self.logger = logger
        self.bus = bus
        self.environment = environment
        effects = PostgresEffects(connection: connection, logger: logger)
        transaction = connection
    }

    /// A message handled without a database: its effects are recorded in `effects`. For unit tests of handlers
    /// on in-memory repositories; `type` names the message as its envelope would.
    public static func inMemory(
        _ type: String = "test", actor: Actor?, environment: ServiceEnvironment,
        effects: RecordedEffects = RecordedEffects(), service: String = "test",
        bus: any MessageBus = InMemoryMessageBus()
    ) -> MessageContext {
        MessageContext(
            header: EnvelopeHeader(type: type, occurredAt: environment.now(), actor: actor), service: service,
            environment: environment, effects: effects, logger: Logger(label: "stitch.\(service).test"), bus: bus)
    }

    private init(
        header: EnvelopeHeader, service: String, environment: ServiceEnvironment, effects: any TransactionEffects,
        logger: Logger, bus: any MessageBus
    ) {
        self.header = header
        self.service = service
        self.logger = logger
        self.bus = bus
        self.environment = environment
        self.effects = effects
        transaction = nil
    }

    public var actor: Actor? { header.actor }

    /// Now, by the service's clock.
    public var now: Date { environment.now() }

    /// The open PostgreSQL transaction, for a store built on it. A context made `inMemory` has none: a handler
    /// run that way must reach its records through repositories.
    public var connection: PostgresConnection {
        guard let transaction else {
            preconditionFailure("\(header.type): this handler reads PostgreSQL directly; run it on a database, or give it repositories")
        }
        return transaction
    }

    /// Records an event to be published once this transaction commits.
    public func publish<E: Event>(_ event: E) async throws {
        try await effects.enqueue([try message(for: event)])
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
        try await effects.enqueue([message])
    }

    /// A batch never waits on another service (see `inBatch`).
    func mayWait(for query: String) throws {
        if inBatch { throw PermanentFailure("\(header.type) asked \(query) of another service inside a batch handler") }
    }
}
