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

    public init(service: String, environment: ServiceEnvironment, client: PostgresClient, bus: any MessageBus, registry: HandlerRegistry, logger: Logger,
                requestsExpireAfter: Duration = .seconds(60), transactionDeadline: Duration = .seconds(90)) {
        self.service = service
        self.environment = environment
        self.client = client
        self.bus = bus
        self.registry = registry
        self.logger = logger
        self.requestsExpireAfter = requestsExpireAfter
        self.transactionDeadline = transactionDeadline
    }

    /// Requests are read (and their dates checked, DateWindow.swift) on the service's own today.
    public func handleRequest(_ message: IncomingMessage) async throws {
        try await InputRules.$factoryToday.withValue(registry.today()) { try await handleRequestOnToday(message) }
    }

    private func handleRequestOnToday(_ message: IncomingMessage) async throws {
        guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
            try await reply(to: message, .failure(ErrorReply(.malformed, "The message is not a Stitch envelope.")))
            throw PermanentFailure("not a Stitch envelope")
        }
        let logger = logger(for: header)
        let entry: HandlerRegistry.RequestEntry
        switch admit(message, header, logger) {
        case .refused(let refusal):
            try await reply(to: message, .failure(refusal))
            return
        case .runs(let admitted):
            entry = admitted
        }
        let (scope, key) = Self.idempotencyScope(of: header)
        let body: [UInt8]
        do {
            body = try await transaction(logger) { connection in
                try await run(entry, message.body, MessageContext(connection: connection, header: header, service: service,
                                                                  environment: environment, logger: logger, bus: bus))
            }
        } catch {
            // A repeat answers what the first copy answered — also when running it again was refused
            // (the first copy changed the state it checks).
            if entry.isCommand, Self.isRepeat(error) || Self.errorReply(in: error, command: true) != nil,
               let stored = try await storedReply(scope: scope, key: key, logger) {
                logger.debug("repeated command \(header.type) \(key): returning the stored reply")
                if let response = OutgoingMessage.reply(to: message, body: Array(stored.utf8)) { bus.reply([response]) }
                return
            }
            // The handler refused (bad input, wrong state), or the data can never be stored: nothing
            // was written, the caller hears why at once. An outage is thrown on, to be waited out.
            guard let refusal = Self.errorReply(in: error, command: entry.isCommand) else { throw error }
            if let database = Self.databaseError(in: error) {
                DatabaseRefusal.record(database, reply: refusal, service: service, type: header.type, logger: logger)
            } else if refusal.code == .internalError {
                logger.error("\(header.type) failed deterministically: \(String(reflecting: error))")
            }
            try await reply(to: message, .failure(refusal))
            return
        }
        if let response = OutgoingMessage.reply(to: message, body: body) {
            bus.reply([response])  // direct reply-to is at-most-once; the caller retries by key
        }
    }

    /// Several requests of `batched` types (`HandlerRegistry.handle(_:batched:_:)`) in one transaction: one
    /// BEGIN and one commit for all, then their replies in one publish. Each runs as in `handleRequest`; a
    /// type with a bulk form (`handleInBulk`) runs in one call, and its refusals are answered one by one.
    /// Anything else that fails — a refusal without a bulk form, a repeat, a message that must ask another
    /// service (`RunsAlone`) — fails the batch before anything is answered; it rolls back, and the consumer
    /// hands the requests to `handleRequest` one by one (`MessageConsumer.runBatched`), which answers each
    /// as it would alone. An outage retries the batch.
    public func handleRequests(_ messages: [IncomingMessage]) async throws {
        try await InputRules.$factoryToday.withValue(registry.today()) { try await handleRequestsOnToday(messages) }
    }

    private func handleRequestsOnToday(_ messages: [IncomingMessage]) async throws {
        var replies: [OutgoingMessage] = []
        var runs: [BatchedRequest] = []
        for message in messages {
            guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
                throw PermanentFailure("not a Stitch envelope")  // alone, it is answered and parked
            }
            let logger = logger(for: header)
            switch admit(message, header, logger) {
            case .refused(let refusal):
                if let response = OutgoingMessage.reply(to: message, body: try StitchJSON.encode(RequestOutcome<Accepted>.failure(refusal))) {
                    replies.append(response)
                }
            case .runs(let entry):
                runs.append(BatchedRequest(message: message, header: header, entry: entry, logger: logger))
            }
        }
        if !runs.isEmpty {
            let batch = runs
            let (service, bus, environment) = (self.service, self.bus, self.environment)
            let bodies = try await transaction(logger) { connection in
                var bodies: [[UInt8]] = []
                var rest = batch[...]
                while let item = rest.first {
                    // A run of one bulk-handled type goes to its handler in one call.
                    if let bulk = item.entry.bulk {
                        let group = rest.prefix { $0.header.type == item.header.type }
                        bodies += try await runInBulk(bulk, Array(group), on: connection)
                        rest = rest.dropFirst(group.count)
                    } else {
                        bodies.append(try await run(item.entry, item.message.body, item.context(connection, service: service, environment: environment, bus: bus)))
                        rest = rest.dropFirst()
                    }
                }
                return bodies
            }
            for (item, body) in zip(runs, bodies) {
                if let response = OutgoingMessage.reply(to: item.message, body: body) { replies.append(response) }
            }
        }
        bus.reply(replies)  // at-most-once, as in handleRequest
    }

    /// A request admitted to a batch.
    private struct BatchedRequest: Sendable {
        var message: IncomingMessage
        var header: EnvelopeHeader
        var entry: HandlerRegistry.RequestEntry
        var logger: Logger

        func context(_ connection: PostgresConnection, service: String, environment: ServiceEnvironment, bus: any MessageBus)
            -> MessageContext {
            var context = MessageContext(connection: connection, header: header, service: service, environment: environment,
                                         logger: logger, bus: bus)
            context.inBatch = true
            return context
        }
    }

    /// Commands of one bulk-handled type (`HandlerRegistry.handleInBulk`) in the batch's transaction: a
    /// client's repeat is answered from the store, the rest go to the handler in one call, and their replies
    /// are stored in one statement. As in `run`: a key found taken means a repeat, which fails the batch.
    private func runInBulk(_ bulk: @Sendable ([(body: [UInt8], context: MessageContext)]) async throws -> [Result<[UInt8], ErrorReply>],
                           _ items: [BatchedRequest], on connection: PostgresConnection) async throws -> [[UInt8]] {
        var replies = [[UInt8]](repeating: [], count: items.count)
        var pending: [Int] = []
        for (index, item) in items.enumerated() {
            let (scope, key) = Self.idempotencyScope(of: item.header)
            if item.header.idempotencyKey != nil,
               let stored = try await IdempotencyStore.stored(scope: scope, key: key, on: connection, logger: item.logger), !stored.isEmpty {
                replies[index] = Array(stored.utf8)
            } else {
                pending.append(index)
            }
        }
        guard !pending.isEmpty else { return replies }
        let outcomes = try await bulk(pending.map { (items[$0].message.body, items[$0].context(connection, service: service, environment: environment, bus: bus)) })
        guard outcomes.count == pending.count else {
            throw PermanentFailure("\(items[0].header.type): \(outcomes.count) outcomes for \(pending.count) commands")
        }
        var records: [(scope: String, key: String, reply: String)] = []
        for (index, outcome) in zip(pending, outcomes) {
            let (scope, key) = Self.idempotencyScope(of: items[index].header)
            switch outcome {
            case .success(let body):
                replies[index] = body
                records.append((scope, key, String(decoding: body, as: UTF8.self)))
            case .failure(let refusal):
                // As alone: a repeat of a command that ran before answers what it answered then.
                if let stored = try await IdempotencyStore.stored(scope: scope, key: key, on: connection, logger: items[index].logger),
                   !stored.isEmpty {
                    replies[index] = Array(stored.utf8)
                } else {
                    replies[index] = try StitchJSON.encode(RequestOutcome<Accepted>.failure(refusal))
                }
            }
        }
        guard try await IdempotencyStore.recordAll(records, on: connection, logger: logger).isEmpty else { throw RepeatedCommand() }
        return replies
    }

    private enum Admission {
        case runs(HandlerRegistry.RequestEntry)
        /// Answered with this and not run.
        case refused(ErrorReply)
    }

    /// Whether a request may run at all: a type this service handles, an actor it can verify, a caller
    /// still waiting.
    private func admit(_ message: IncomingMessage, _ header: EnvelopeHeader, _ logger: Logger) -> Admission {
        guard let entry = registry.requests[header.type] else {
            return .refused(ErrorReply(.malformed, "\(service) does not handle \(header.type)."))
        }
        if let refusal = environment.verifier.refusal(of: header, isCommand: entry.isCommand) {  // ActorVerifier.swift
            logger.warning("\(header.type) \(header.messageId) refused: \(refusal.message)")
            return .refused(refusal)
        }
        let age = environment.now().timeIntervalSince(header.occurredAt)
        if message.replyTo != nil, age > Double(requestsExpireAfter.components.seconds) {
            logger.warning("\(header.type) sent \(Int(age)) s ago expired unanswered; not run")
            return .refused(ErrorReply(.timeout, "The request expired before \(service) could take it; nothing was done."))
        }
        return .runs(entry)
    }

    /// Where a command's reply is stored: under the client's key, else under its message id.
    private static func idempotencyScope(of header: EnvelopeHeader) -> (scope: String, key: String) {
        header.idempotencyKey.map { ("key:\(header.type)", $0) } ?? ("message", header.messageId.uuidString)
    }

    /// Runs one request inside the open transaction of `context` and returns its reply.
    private func run(_ entry: HandlerRegistry.RequestEntry, _ body: [UInt8], _ context: MessageContext) async throws -> [UInt8] {
        guard entry.isCommand else { return try await entry.handle(body, context) }
        let (header, connection, logger) = (context.header, context.connection, context.logger)
        let (scope, key) = Self.idempotencyScope(of: header)
        // A client's key (Idempotency-Key) is looked up first, so a client's retry is answered from the
        // store without running again (even while a service the handler asks is down): a read, no write.
        if header.idempotencyKey != nil,
           let stored = try await IdempotencyStore.stored(scope: scope, key: key, on: connection, logger: logger), !stored.isEmpty {
            logger.debug("repeated command \(header.type) \(key): returning the stored reply")
            return Array(stored.utf8)
        }
        // One write per command: its reply is stored under its key when the work is done. A repeat
        // of a command that ran before finds the key taken (or waits there for the first copy's
        // commit), rolls its own work back and answers with the stored reply.
        let reply = try await entry.handle(body, context)
        guard try await IdempotencyStore.record(scope: scope, key: key, reply: String(decoding: reply, as: UTF8.self),
                                                on: connection, logger: logger) else {
            throw RepeatedCommand()
        }
        return reply
    }

    public func handleEvent(_ message: IncomingMessage) async throws {
        guard let (entry, header, payload) = try registry.openEvent(message) else { return }
        let logger = logger(for: header)
        do {
            try await transaction(logger) { connection in
                guard try await Inbox.claim(header.messageId.uuidString, consumer: service, type: header.type,
                                            on: connection, logger: logger) else {
                    logger.debug("duplicate event \(header.type) \(header.messageId) ignored")
                    return
                }
                try await entry.handle(payload, MessageContext(connection: connection, header: header, service: service,
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
                let fresh = try await Inbox.claim(batch.map { ($0.event.header.messageId.uuidString, $0.event.header.type) },
                                                  consumer: service, on: connection, logger: logger)
                // In delivery order; a run of events of one bulk group goes to its handler in one call.
                var run: (group: HandlerRegistry.BatchEntry, events: [BatchedEvent])?
                func flush() async throws {
                    guard let current = run, let first = current.events.first else { return }
                    run = nil
                    try await current.group.handle(current.events, MessageContext(
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
                    try await entry.handle(event.payload, MessageContext(connection: connection, header: event.header, service: service,
                                                                         environment: environment, logger: self.logger(for: event.header),
                                                                         bus: bus))
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

    /// What the handler threw, out of the transaction that carried it.
    static func handlerError(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError { return handlerError(inner) }
        return error
    }

    /// The database's own error inside `error`, if that is what it is.
    static func databaseError(in error: any Error) -> PSQLError? { handlerError(error) as? PSQLError }

    static func isRepeat(_ error: any Error) -> Bool { handlerError(error) is RepeatedCommand }

    private func reply(to message: IncomingMessage, _ outcome: RequestOutcome<Accepted>) async throws {
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

/// Thrown inside a command's transaction when its idempotency key turned out taken: the work is
/// rolled back and the stored reply answered instead.
struct RepeatedCommand: Error, CustomStringConvertible {
    var description: String { "the command was run before under the same idempotency key" }
}
