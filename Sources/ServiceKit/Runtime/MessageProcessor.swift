import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Runs one delivered message through its handler inside a database transaction, following the
/// rules of DESIGN.md: events are de-duplicated by the inbox in the same transaction as their
/// effect; commands store their reply under their idempotency key (or their message id), so a
/// retried or redelivered command returns the first outcome and applies nothing twice; replies go
/// out only after commit; the consumer acks only after this returns.
public struct MessageProcessor: Sendable {
    public let service: String
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

    public init(service: String, client: PostgresClient, bus: any MessageBus, registry: HandlerRegistry, logger: Logger,
                requestsExpireAfter: Duration = .seconds(60), transactionDeadline: Duration = .seconds(90)) {
        self.service = service
        self.client = client
        self.bus = bus
        self.registry = registry
        self.logger = logger
        self.requestsExpireAfter = requestsExpireAfter
        self.transactionDeadline = transactionDeadline
    }

    public func handleRequest(_ message: IncomingMessage) async throws {
        guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
            try await reply(to: message, .failure(ErrorReply(.malformed, "The message is not a Stitch envelope.")))
            throw PermanentFailure("not a Stitch envelope")
        }
        let logger = logger(for: header)
        guard let entry = registry.requests[header.type] else {
            try await reply(to: message, .failure(ErrorReply(.malformed, "\(service) does not handle \(header.type).")))
            return
        }
        if let refusal = ActorVerifier.current.refusal(of: header, isCommand: entry.isCommand) {  // ActorVerifier.swift
            logger.warning("\(header.type) \(header.messageId) refused: \(refusal.message)")
            try await reply(to: message, .failure(refusal))
            return
        }
        let age = Date().timeIntervalSince(header.occurredAt)
        if message.replyTo != nil, age > Double(requestsExpireAfter.components.seconds) {
            logger.warning("\(header.type) sent \(Int(age)) s ago expired unanswered; not run")
            try await reply(to: message, .failure(ErrorReply(.timeout, "The request expired before \(service) could take it; nothing was done.")))
            return
        }
        let (scope, key) = header.idempotencyKey.map { ("key:\(header.type)", $0) } ?? ("message", header.messageId.uuidString)
        let body: [UInt8]
        do {
            body = try await transaction(logger) { connection in
                let context = MessageContext(connection: connection, header: header, service: service, logger: logger, bus: bus)
                guard entry.isCommand else { return try await entry.handle(message.body, context) }
                // A client's key (Idempotency-Key) is looked up first, so a client's retry is answered from the
                // store without running again (even while a service the handler asks is down): a read, no write.
                if header.idempotencyKey != nil,
                   let stored = try await IdempotencyStore.stored(scope: scope, key: key, on: connection, logger: logger), !stored.isEmpty {
                    logger.debug("repeated command \(header.type) \(key): returning the stored reply")
                    return Array(stored.utf8)
                }
                // One write per command: its reply is stored under its key when the work is done. A repeat
                // of a command that ran before finds the key taken (or waits there for the first copy's
                // commit), rolls its own work back and answers with the stored reply below.
                let body = try await entry.handle(message.body, context)
                guard try await IdempotencyStore.record(scope: scope, key: key, reply: String(decoding: body, as: UTF8.self),
                                                        on: connection, logger: logger) else {
                    throw RepeatedCommand()
                }
                return body
            }
        } catch {
            // A repeat answers what the first copy answered — also when running it again was refused
            // (the first copy changed the state it checks).
            if entry.isCommand, Self.isRepeat(error) || Self.errorReply(in: error) != nil,
               let stored = try await storedReply(scope: scope, key: key, logger) {
                logger.debug("repeated command \(header.type) \(key): returning the stored reply")
                if let response = OutgoingMessage.reply(to: message, body: Array(stored.utf8)) { try? await bus.publish(response) }
                return
            }
            // The handler refused (bad input, wrong state), or the data can never be stored: nothing
            // was written, the caller hears why at once. An outage is thrown on, to be waited out.
            guard let refusal = Self.errorReply(in: error) else { throw error }
            if refusal.code == .internalError { logger.error("\(header.type) failed deterministically: \(String(reflecting: error))") }
            try await reply(to: message, .failure(refusal))
            return
        }
        if let response = OutgoingMessage.reply(to: message, body: body) {
            try? await bus.publish(response)  // direct reply-to is at-most-once; the caller retries by key
        }
    }

    public func handleEvent(_ message: IncomingMessage) async throws {
        guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
            throw PermanentFailure("not a Stitch envelope")
        }
        guard let entry = registry.events[header.type] else { return }
        let logger = logger(for: header)
        do {
            try await transaction(logger) { connection in
                guard try await Inbox.claim(header.messageId.uuidString, consumer: service, type: header.type,
                                            on: connection, logger: logger) else {
                    logger.debug("duplicate event \(header.type) \(header.messageId) ignored")
                    return
                }
                try await entry.handle(message.body, MessageContext(connection: connection, header: header,
                                                                    service: service, logger: logger, bus: bus))
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// Several events in one transaction (one commit): the inbox rows of all of them in one statement,
    /// then each new one's handler in delivery order; duplicates (claimed before, or twice in the batch)
    /// change nothing. Any failure rolls the whole batch back; the consumer then hands the events to
    /// `handleEvent` one by one (`MessageConsumer.runBatched`), so one bad event cannot hold up the others.
    public func handleEvents(_ messages: [IncomingMessage]) async throws {
        var items: [(header: EnvelopeHeader, entry: HandlerRegistry.EventEntry, body: [UInt8])] = []
        var seen = Set<UUID>()
        for message in messages {
            guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
                throw PermanentFailure("not a Stitch envelope")
            }
            guard let entry = registry.events[header.type], seen.insert(header.messageId).inserted else { continue }
            items.append((header, entry, message.body))
        }
        guard !items.isEmpty else { return }
        let service = self.service
        let bus = self.bus
        let batch = items
        do {
            try await transaction(logger) { connection in
                let fresh = try await Inbox.claim(batch.map { ($0.header.messageId.uuidString, $0.header.type) }, consumer: service,
                                                  on: connection, logger: logger)
                // In delivery order; a run of events of one bulk group goes to its handler in one call.
                var run: (group: HandlerRegistry.BatchEntry, events: [BatchedEvent])?
                func flush() async throws {
                    guard let current = run, let first = current.events.first else { return }
                    run = nil
                    try await current.group.handle(current.events, MessageContext(
                        connection: connection, header: first.header, service: service, logger: self.logger(for: first.header), bus: bus))
                }
                for item in batch where fresh.contains(item.header.messageId.uuidString) {
                    if let group = item.entry.batch {
                        let event = BatchedEvent(payload: try group.decode(item.body), header: item.header)
                        if run?.group.group == group.group {
                            run?.events.append(event)
                        } else {
                            try await flush()
                            run = (group, [event])
                        }
                        continue
                    }
                    try await flush()
                    let logger = self.logger(for: item.header)
                    try await item.entry.handle(item.body, MessageContext(connection: connection, header: item.header,
                                                                          service: service, logger: logger, bus: bus))
                }
                try await flush()
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    private func logger(for header: EnvelopeHeader) -> Logger {
        var logger = logger
        logger[metadataKey: "correlation.id"] = .string(header.correlationId.uuidString)
        return logger
    }

    /// A handler's transaction, bounded (see `PostgresClient.transaction`): after a connection loss
    /// or the deadline the message is retried as after any outage.
    private func transaction<T: Sendable>(_ logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T {
        try await client.transaction(logger: logger, deadline: transactionDeadline, body)
    }

    /// The stored reply of a command, read after its own transaction rolled back.
    private func storedReply(scope: String, key: String, _ logger: Logger) async throws -> String? {
        let rows = try await client.rows("SELECT reply FROM idempotency_keys WHERE scope = \(scope) AND key = \(key)",
                                         logger: logger, deadline: .seconds(30))
        guard let row = rows.first, let reply = try row.decode(String?.self), !reply.isEmpty else { return nil }
        return reply
    }

    static func isRepeat(_ error: any Error) -> Bool {
        if error is RepeatedCommand { return true }
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError { return isRepeat(inner) }
        return false
    }

    private func reply(to message: IncomingMessage, _ outcome: RequestOutcome<Accepted>) async throws {
        guard let response = OutgoingMessage.reply(to: message, body: try StitchJSON.encode(outcome)) else { return }
        try? await bus.publish(response)
    }

    /// The answer for a deterministic failure; nil for one that may pass (an outage) or is unknown.
    static func errorReply(in error: any Error) -> ErrorReply? {
        if let reply = error as? ErrorReply { return reply }
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError {
            return errorReply(in: inner)
        }
        guard FailureKind(of: error) == .deterministic else { return nil }
        switch error {
        case let error as PSQLError:
            return DatabaseRefusal.reply(for: error)
        case is DecodingError:
            return ErrorReply(.malformed, "The request could not be read: \(describeDecoding(error))")
        case let error as PermanentFailure:
            return ErrorReply(.malformed, error.description)
        default:
            return ErrorReply(.internalError, "The request could not be processed.")
        }
    }
}

/// Thrown inside a command's transaction when its idempotency key turned out taken: the work is
/// rolled back and the stored reply answered instead.
struct RepeatedCommand: Error, CustomStringConvertible {
    var description: String { "the command was run before under the same idempotency key" }
}
