import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Commands and queries. A command claims its key in `IdempotencyStore` before it runs: a copy that ran before
/// (a client's retry, a redelivery) finds the key taken — waiting there for the first copy's commit — and is
/// answered the stored reply without running. A command registered with `HandlerRegistry.handleBatch` always
/// runs in a batch: those that wait together share one transaction and one handler call; one alone is a batch
/// of one. Replies go out after commit, at most once (direct reply-to); the caller retries by key.
extension MessageProcessor {
    /// Requests are read (and their dates checked, DateWindow.swift) on the service's own today.
    public func handleRequest(_ message: IncomingMessage) async throws {
        try await InputRules.$factoryToday.withValue(registry.today()) {
            if registry.joinsBatch(message) {
                try await handleBatch([message])
            } else {
                try await handleAlone(message)
            }
        }
    }

    /// Several requests registered with `handleBatch` in one transaction: one commit, then their replies in one
    /// publish. A refusal is one command's outcome, answered while the others commit. Anything else that fails
    /// fails the batch before anything is answered; it rolls back, and the consumer hands the requests to
    /// `handleRequest` one by one (`MessageConsumer.runBatched`), so each is answered or parked on its own. An
    /// outage retries the batch.
    public func handleRequests(_ messages: [IncomingMessage]) async throws {
        try await InputRules.$factoryToday.withValue(registry.today()) { try await handleBatch(messages) }
    }

    private func handleAlone(_ message: IncomingMessage) async throws {
        let (header, entry, logger): (EnvelopeHeader, HandlerRegistry.RequestEntry, Logger)
        switch try await admit(message, alone: true) {
        case .refused(let refusal):
            try await reply(to: message, .failure(refusal))
            return
        case .runs(let request):
            (header, entry, logger) = (request.header, request.entry, request.logger)
        }
        let (service, environment, bus) = (self.service, self.environment, self.bus)
        let body: [UInt8]
        do {
            body = try await transaction(logger) { connection in
                let context = MessageContext(
                    connection: connection, header: header, service: service, environment: environment,
                    logger: logger, bus: bus)
                guard entry.isCommand else { return try await entry.handle(message.body, context) }
                let key = Self.idempotencyKey(of: header)
                guard try await IdempotencyStore.claim([key], on: connection, logger: logger).contains(key) else {
                    logger.debug("repeated command \(header.type) \(key.key): returning the stored reply")
                    return try await Self.storedReplies(of: [key], on: connection, logger: logger)[0]
                }
                let reply = try await entry.handle(message.body, context)
                try await IdempotencyStore.complete([(key, String(decoding: reply, as: UTF8.self))], on: connection, logger: logger)
                return reply
            }
        } catch {
            try await answer(error, to: message, type: header.type, isCommand: entry.isCommand, logger: logger)
            return
        }
        if let response = OutgoingMessage.reply(to: message, body: body) { bus.reply([response]) }
    }

    private func handleBatch(_ messages: [IncomingMessage]) async throws {
        var replies: [OutgoingMessage] = []
        var runs: [BatchedRequest] = []
        for message in messages {
            switch try await admit(message, alone: messages.count == 1) {
            case .refused(let refusal):
                let outcome = try StitchJSON.encode(RequestOutcome<Accepted>.failure(refusal))
                if let response = OutgoingMessage.reply(to: message, body: outcome) { replies.append(response) }
            case .runs(let request):
                runs.append(request)
            }
        }
        if !runs.isEmpty {
            let batch = runs
            let (service, environment, bus) = (self.service, self.environment, self.bus)
            do {
                let bodies = try await transaction(logger) { connection in
                    try await Self.run(batch, on: connection, service: service, environment: environment, bus: bus, logger: batch[0].logger)
                }
                for (item, body) in zip(runs, bodies) {
                    if let response = OutgoingMessage.reply(to: item.message, body: body) { replies.append(response) }
                }
            } catch let error where messages.count == 1 {
                try await answer(error, to: runs[0].message, type: runs[0].header.type, isCommand: true, logger: runs[0].logger)
                return
            }
        }
        bus.reply(replies)  // at-most-once, as alone
    }

    /// A batch inside its transaction: every key claimed in one statement; a key taken before answers its stored
    /// reply, a key named twice answers as its first copy; the rest go to their type's handler, a run of one type
    /// in one call; then the replies of those that ran are stored and the keys of those refused freed.
    private static func run(
        _ batch: [BatchedRequest], on connection: PostgresConnection, service: String,
        environment: ServiceEnvironment, bus: any MessageBus, logger: Logger
    ) async throws -> [[UInt8]] {
        let keys = batch.map { idempotencyKey(of: $0.header) }
        let claimed = try await IdempotencyStore.claim(keys, on: connection, logger: logger)
        var bodies = [[UInt8]?](repeating: nil, count: batch.count)
        var first: [IdempotencyStore.Key: Int] = [:]
        var copies: [(index: Int, of: Int)] = []
        var taken: [Int] = []
        var pending: [Int] = []
        for (index, key) in keys.enumerated() {
            if let earlier = first[key] {
                copies.append((index, earlier))
            } else {
                first[key] = index
                if claimed.contains(key) { pending.append(index) } else { taken.append(index) }
            }
        }
        for (index, reply) in zip(taken, try await storedReplies(of: taken.map { keys[$0] }, on: connection, logger: logger)) {
            bodies[index] = reply
        }
        var completed: [(key: IdempotencyStore.Key, reply: String)] = []
        var released: [IdempotencyStore.Key] = []
        var rest = pending[...]
        while let head = rest.first {
            let group = Array(rest.prefix { batch[$0].header.type == batch[head].header.type })
            rest = rest.dropFirst(group.count)
            guard let handle = batch[head].entry.batch else {
                throw PermanentFailure("\(batch[head].header.type) is not handled in batches")
            }
            let outcomes = try await handle(
                group.map { index in
                    (batch[index].message.body, batch[index].context(connection, service: service, environment: environment, bus: bus))
                })
            guard outcomes.count == group.count else {
                throw PermanentFailure("\(batch[head].header.type): \(outcomes.count) outcomes for \(group.count) commands")
            }
            for (index, outcome) in zip(group, outcomes) {
                switch outcome {
                case .success(let body):
                    bodies[index] = body
                    completed.append((keys[index], String(decoding: body, as: UTF8.self)))
                case .failure(let refusal):
                    bodies[index] = try StitchJSON.encode(RequestOutcome<Accepted>.failure(refusal))
                    released.append(keys[index])
                }
            }
        }
        try await IdempotencyStore.complete(completed, on: connection, logger: logger)
        try await IdempotencyStore.release(released, on: connection, logger: logger)
        for (index, earlier) in copies { bodies[index] = bodies[earlier] }
        return bodies.map { $0 ?? [] }
    }

    /// The replies stored under keys found taken, in order. A key taken without a reply is a copy still running
    /// elsewhere (it cannot be: claim and reply commit together), waited out as an outage would be.
    private static func storedReplies(of keys: [IdempotencyStore.Key], on connection: PostgresConnection, logger: Logger)
        async throws -> [[UInt8]]
    {
        let stored = try await IdempotencyStore.stored(keys, on: connection, logger: logger)
        return try keys.map { key in
            guard let reply = stored[key], !reply.isEmpty else { throw ConcurrentRepeat("\(key.scope) \(key.key) has no stored reply yet") }
            return Array(reply.utf8)
        }
    }

    enum Admission {
        case runs(BatchedRequest)
        /// Answered with this and not run.
        case refused(ErrorReply)
    }

    /// Whether a request may run at all: a type this service handles, an actor it can verify, a caller still
    /// waiting. A message that is no Stitch envelope is parked (`PermanentFailure`) — answered first when `alone`;
    /// in a batch it fails the batch, to be answered alone.
    private func admit(_ message: IncomingMessage, alone: Bool) async throws -> Admission {
        guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
            if alone { try await reply(to: message, .failure(ErrorReply(.malformed, "The message is not a Stitch envelope."))) }
            throw PermanentFailure("not a Stitch envelope")
        }
        let logger = logger(for: header)
        guard let entry = registry.requests[header.type] else {
            return .refused(ErrorReply(.malformed, "\(service) does not handle \(header.type)."))
        }
        if let refusal = environment.verifier.refusal(of: header, isCommand: entry.isCommand) {  // ActorVerifier.swift
            logger.warning("\(header.type) \(header.messageId) refused: \(refusal.message)")
            return .refused(refusal)
        }
        // Real time, not the factory's clock (tests move that one): how long the caller has been waiting.
        let age = Date().timeIntervalSince(header.occurredAt)
        if message.replyTo != nil, age > Double(requestsExpireAfter.components.seconds) {
            logger.warning("\(header.type) sent \(Int(age)) s ago expired unanswered; not run")
            return .refused(ErrorReply(.timeout, "The request expired before \(service) could take it; nothing was done."))
        }
        return .runs(BatchedRequest(message: message, header: header, entry: entry, logger: logger))
    }

    /// Answers a request that failed deterministically (bad input, a rule, data the database refuses): nothing was
    /// written, the caller hears why at once. An outage is thrown on, to be waited out.
    private func answer(_ error: any Error, to message: IncomingMessage, type: String, isCommand: Bool, logger: Logger) async throws {
        guard let refusal = Self.errorReply(in: error, command: isCommand) else { throw error }
        if let database = Self.databaseError(in: error) {
            DatabaseRefusal.record(database, reply: refusal, service: service, type: type, logger: logger)
        } else if refusal.code == .internalError {
            logger.error("\(type) failed deterministically: \(String(reflecting: error))")
        }
        try await reply(to: message, .failure(refusal))
    }

    /// Where a command's reply is stored: under the client's key, else under its message id.
    static func idempotencyKey(of header: EnvelopeHeader) -> IdempotencyStore.Key {
        header.idempotencyKey.map { IdempotencyStore.Key(scope: "key:\(header.type)", key: $0) }
            ?? IdempotencyStore.Key(scope: "message", key: header.messageId.uuidString)
    }
}

/// A request admitted to run.
struct BatchedRequest: Sendable {
    var message: IncomingMessage
    var header: EnvelopeHeader
    var entry: HandlerRegistry.RequestEntry
    var logger: Logger

    func context(_ connection: PostgresConnection, service: String, environment: ServiceEnvironment, bus: any MessageBus)
        -> MessageContext
    {
        var context = MessageContext(
            connection: connection, header: header, service: service, environment: environment,
            logger: logger, bus: bus)
        context.inBatch = true
        return context
    }
}
