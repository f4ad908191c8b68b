import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Runs one delivered message through its handler inside a database transaction, following the
/// rules of docs/architecture.md: events are de-duplicated by the inbox in the same transaction as their
/// effect; commands store their reply under their idempotency key (or their message id), so a
/// retried or redelivered command returns the first outcome and applies nothing twice; replies go
/// out only after commit; the consumer acks only after this returns.
public struct MessageProcessor: Sendable {
    public let service: String
    /// The service's clock and actor verifier.
    let environment: ServiceEnvironment
    let client: PostgresClient
    let bus: any MessageBus
    let registry: HandlerRegistry
    let logger: Logger
    /// A request someone waits for (it has a reply-to) that is older than this is answered TIMEOUT and
    /// not run: its caller gave up long ago (say the service was down), and running it now would
    /// surprise them — a supervisor who saw 504 three times must not get three SPKs an hour later.
    let requestsExpireAfter: Duration
    /// The longest a handler's transaction may take, lease included.
    let transactionDeadline: Duration

    public init(
        service: String, environment: ServiceEnvironment, client: PostgresClient, bus: any MessageBus, registry: HandlerRegistry, logger: Logger,
        requestsExpireAfter: Duration = .seconds(60), transactionDeadline: Duration = .seconds(90)
    ) {
        self.service = service
        self.environment = environment
        self.client = client
        self.bus = bus
        self.registry = registry
        self.logger = logger
        self.requestsExpireAfter = requestsExpireAfter
        self.transactionDeadline = transactionDeadline
    }

    public func handleEvent(_ message: IncomingMessage) async throws {
        guard let (entry, header, payload) = try registry.openEvent(message) else { return }
        let logger = logger(for: header)
        do {
            try await transaction(logger) { connection in
                guard
                    try await Inbox.claim(
                        header.messageId.uuidString, consumer: service, type: header.type,
                        on: connection, logger: logger)
                else {
                    logger.debug("duplicate event \(header.type) \(header.messageId) ignored")
                    return
                }
                try await entry.handle(
                    payload,
                    MessageContext(
                        connection: connection, header: header, service: service,
                        environment: environment, logger: logger, bus: bus))
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// Several events in one transaction (one commit): the inbox rows of all of them in one statement,
    /// then each new one's handler in delivery order; duplicates (claimed before, or twice in the batch)
    /// change nothing. Any failure rolls the whole batch back; the consumer then hands the events to
    /// `handleEvent` one by one (`MessageConsumer.runBatched`), so one bad event cannot hold up the others.
    /// Each event's envelope is read once (`HandlerRegistry.openEvent`).
    public func handleEvents(_ messages: [IncomingMessage]) async throws {
        var items: [(entry: HandlerRegistry.EventEntry, event: BatchedEvent)] = []
        var seen = Set<UUID>()
        for message in messages {
            guard let (entry, header, payload) = try registry.openEvent(message), seen.insert(header.messageId).inserted else { continue }
            items.append((entry, BatchedEvent(payload: payload, header: header)))
        }
        guard !items.isEmpty else { return }
        let (service, bus, environment) = (self.service, self.bus, self.environment)
        let batch = items
        do {
            try await transaction(logger) { connection in
                let fresh = try await Inbox.claim(
                    batch.map { ($0.event.header.messageId.uuidString, $0.event.header.type) },
                    consumer: service, on: connection, logger: logger)
                // In delivery order; a run of events of one bulk group goes to its handler in one call.
                var run: (group: HandlerRegistry.BatchEntry, events: [BatchedEvent])?
                func flush() async throws {
                    guard let current = run, let first = current.events.first else { return }
                    run = nil
                    try await current.group.handle(
                        current.events,
                        MessageContext(
                            connection: connection, header: first.header, service: service, environment: environment,
                            logger: self.logger(for: first.header), bus: bus))
                }
                for (entry, event) in batch where fresh.contains(event.header.messageId.uuidString) {
                    if let group = entry.batch {
                        if run?.group.group == group.group {
                            run?.events.append(event)
                        } else {
                            try await flush()
                            run = (group, [event])
                        }
                        continue
                    }
                    try await flush()
                    try await entry.handle(
                        event.payload,
                        MessageContext(
                            connection: connection, header: event.header, service: service,
                            environment: environment, logger: self.logger(for: event.header),
                            bus: bus))
                }
                try await flush()
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    func logger(for header: EnvelopeHeader) -> Logger {
        var logger = logger
        logger[metadataKey: "correlation.id"] = .string(header.correlationId.uuidString)
        return logger
    }

    /// A handler's transaction, bounded (see `PostgresClient.transaction`): after a connection loss
    /// or the deadline the message is retried as after any outage.
    func transaction<T: Sendable>(_ logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        try await client.transaction(logger: logger, deadline: transactionDeadline, body)
    }

    /// What the handler threw, out of the transaction that carried it.
    static func handlerError(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError { return handlerError(inner) }
        return error
    }

    /// The database's own error inside `error`, if that is what it is.
    static func databaseError(in error: any Error) -> PSQLError? { handlerError(error) as? PSQLError }

    func reply(to message: IncomingMessage, _ outcome: RequestOutcome<Accepted>) async throws {
        guard let response = OutgoingMessage.reply(to: message, body: try StitchJSON.encode(outcome)) else { return }
        bus.reply([response])
    }

    /// The answer for a deterministic failure; nil for one that may pass (an outage) or is unknown.
    /// `command`: the request writes what its caller sent, so a data error may be the caller's (a query's
    /// is ours: `DatabaseRefusal` says why).
    static func errorReply(in error: any Error, command: Bool) -> ErrorReply? {
        let error = handlerError(error)
        if let reply = error as? ErrorReply { return reply }
        guard FailureKind(of: error) == .deterministic else { return nil }
        switch error {
        case let error as PSQLError:
            return DatabaseRefusal.reply(for: error, command: command)
        case is DecodingError:
            return ErrorReply(.malformed, "The request could not be read: \(describeDecoding(error))")
        case let error as PermanentFailure:
            return ErrorReply(.malformed, error.description)
        default:
            return ErrorReply(.internalError, "The request could not be processed.")
        }
    }
}
