import Contracts
import Messaging

/// The messages a service handles, each bound to a typed handler. Its keys become the service's
/// queue bindings, so a service receives exactly what it registered.
public struct HandlerRegistry: Sendable {
    struct RequestEntry: Sendable {
        /// Commands store their reply for idempotent retries; queries are read-only and do not.
        var isCommand: Bool
        /// Set by `handleBatch`: the copies that wait together — one alone is a batch of one — go to one call in one
        /// transaction (`MessageProcessor.handleRequests`); each reply encoded, or its refusal.
        var batch: (@Sendable (_ items: [(body: [UInt8], context: MessageContext)]) async throws -> [Result<[UInt8], ErrorReply>])?
        var handle: @Sendable (_ body: [UInt8], _ context: MessageContext) async throws -> [UInt8]
    }

    struct EventEntry: Sendable {
        /// Reads the whole envelope once: its header and its typed payload.
        var open: @Sendable (_ body: [UInt8]) throws -> (header: EnvelopeHeader, payload: any Sendable)
        /// Applies a payload `open` returned.
        var handle: @Sendable (_ payload: any Sendable, _ context: MessageContext) async throws -> Void
        /// Set by `onBatch`: events of one group that arrive together are applied by one call.
        var batch: BatchEntry?
        /// Set by `on(_:where:_:)`: false for a payload the handler would ignore.
        var concerns: @Sendable (_ payload: any Sendable) -> Bool = { _ in true }
    }

    struct BatchEntry: Sendable {
        var group: String
        var handle: @Sendable (_ events: [BatchedEvent], _ context: MessageContext) async throws -> Void
    }

    private(set) var requests: [String: RequestEntry] = [:]
    private(set) var events: [String: EventEntry] = [:]
    /// The factory's today by the service's own clock: the dates of the requests it reads are checked
    /// against it (`InputRules.dateProblem`, as `MessageProcessor` runs them). Tests move the clock.
    public var today: @Sendable () -> LocalDate = { InputRules.today }

    public init() {}

    public mutating func handle<C: Command>(_ type: C.Type, _ handler: @escaping @Sendable (C, MessageContext) async throws -> C.Reply) {
        requests[C.messageType] = RequestEntry(isCommand: true, handle: Self.requestHandler(handler))
    }

    /// For a hot, short command (daily input): the copies that wait in the queue together go to `handler` in one call
    /// and one transaction, one commit for all; a copy that arrives alone is a batch of one, so there is one path.
    /// `handler` gets the commands in delivery order and returns an outcome for each: a refusal (`ErrorReply`) must
    /// have written nothing, as a refused command's rolled-back transaction would not have; the others commit. It
    /// decides on what its service holds: it never waits on another service (`ask` is refused inside it).
    public mutating func handleBatch<C: Command>(
        _ type: C.Type,
        _ handler:
            @escaping @Sendable ([(command: C, context: MessageContext)]) async throws
            -> [Result<C.Reply, ErrorReply>]
    ) {
        let batch: @Sendable ([(body: [UInt8], context: MessageContext)]) async throws -> [Result<[UInt8], ErrorReply>] = { items in
            var commands: [(command: C, context: MessageContext)] = []
            var outcomes = [Result<[UInt8], ErrorReply>?](repeating: nil, count: items.count)
            for (index, (body, context)) in items.enumerated() {
                do {
                    commands.append((try Self.payload(C.self, from: body), context))
                } catch let refusal as ErrorReply {
                    outcomes[index] = .failure(refusal)  // unreadable: answered alone, the others run
                }
            }
            var decided = try await handler(commands).makeIterator()
            return try outcomes.map { outcome in
                if let outcome { return outcome }
                switch decided.next() {
                case .success(let reply): return .success(try Self.encode(reply, of: C.self))
                case .failure(let refusal): return .failure(refusal)
                case nil: throw PermanentFailure("\(C.messageType): fewer outcomes than commands")
                }
            }
        }
        requests[C.messageType] = RequestEntry(
            isCommand: true, batch: batch,
            handle: { body, context in
                guard let outcome = try await batch([(body, context)]).first else { throw PermanentFailure("\(C.messageType): no outcome") }
                return try outcome.get()
            })
    }

    /// Whether `message` may join a batch of requests: its type (an AMQP property, so the body is not read
    /// here) was registered with `handleBatch`.
    public func joinsBatch(_ message: IncomingMessage) -> Bool {
        guard let type = message.type else { return false }
        return requests[type]?.batch != nil
    }

    /// Whether any request is registered with `handleBatch`.
    public var batchesRequests: Bool { requests.values.contains { $0.batch != nil } }

    public mutating func handle<Q: Query>(_ type: Q.Type, _ handler: @escaping @Sendable (Q, MessageContext) async throws -> Q.Reply) {
        requests[Q.messageType] = RequestEntry(isCommand: false, handle: Self.requestHandler(handler))
    }

    public mutating func on<E: Event>(_ type: E.Type, _ handler: @escaping @Sendable (E, MessageContext) async throws -> Void) {
        events[E.messageType] = EventEntry(
            open: { body in
                let envelope: Envelope<E>
                do {
                    envelope = try StitchJSON.decode(Envelope<E>.self, from: body)
                } catch {
                    throw PermanentFailure("cannot decode \(E.messageType): \(error)")
                }
                return (envelope.header, envelope.payload)
            },
            handle: { payload, context in
                guard let event = payload as? E else { throw PermanentFailure("\(E.messageType): not its payload") }
                try await handler(event, context)
            })
    }

    /// `on`, for a handler that ignores the events `concerns` refuses: those are acked as read, with no
    /// transaction and no inbox row (ignoring one twice is harmless), so a follower pays nothing for the
    /// traffic it does not care about.
    public mutating func on<E: Event>(
        _ type: E.Type, where concerns: @escaping @Sendable (E) -> Bool,
        _ handler: @escaping @Sendable (E, MessageContext) async throws -> Void
    ) {
        on(type, handler)
        events[E.messageType]?.concerns = { payload in (payload as? E).map(concerns) ?? true }
    }

    /// Also applies events of `type` in bulk: when events of one `group` arrive together (a batch, see
    /// `MessageProcessor.handleEvents`), `handler` gets all of them at once, in delivery order, with
    /// their payloads as decoded (`BatchedEvent.payload`, cast it to the group's protocol). The single
    /// handler registered with `on` stays: it is used alone and when a batch is retried one by one.
    public mutating func onBatch<E: Event>(
        _ type: E.Type, group: String,
        _ handler: @escaping @Sendable ([BatchedEvent], MessageContext) async throws -> Void
    ) {
        precondition(events[E.messageType] != nil, "register \(E.messageType) with on(_:_:) before onBatch")
        events[E.messageType]?.batch = BatchEntry(group: group, handle: handler)
    }

    /// The handler of an event and the event read once: by its type property when the transport carries
    /// one (Stitch's publishers always set it), else by its envelope's header. Nil for an event this service
    /// does not follow, or one it ignores (`on(_:where:_:)`). Throws `PermanentFailure` for one that cannot be read.
    func openEvent(_ message: IncomingMessage) throws -> (entry: EventEntry, header: EnvelopeHeader, payload: any Sendable)? {
        let entry: EventEntry
        if let type = message.type, let known = events[type] {
            entry = known
        } else {
            guard let header = try? StitchJSON.decode(EnvelopeHeader.self, from: message.body) else {
                throw PermanentFailure("not a Stitch envelope")
            }
            guard let known = events[header.type] else { return nil }
            entry = known
        }
        let (header, payload) = try entry.open(message.body)
        if let type = message.type, type != header.type {
            throw PermanentFailure("the message says it is \(type), its envelope \(header.type)")
        }
        guard entry.concerns(payload) else { return nil }
        return (entry, header, payload)
    }

    /// A request's payload, or MALFORMED naming what could not be read.
    private static func payload<R: Request>(_ type: R.Type, from body: [UInt8]) throws -> R {
        do {
            return try StitchJSON.decode(Envelope<R>.self, from: body).payload
        } catch {
            throw ErrorReply(.malformed, "The \(R.messageType) request could not be read: \(describeDecoding(error))")
        }
    }

    /// A handler's answer as its reply body.
    private static func encode<R: Request>(_ reply: R.Reply, of type: R.Type) throws -> [UInt8] {
        try StitchJSON.encode(RequestOutcome<R.Reply>.success(reply))
    }

    private static func requestHandler<R: Request>(_ handler: @escaping @Sendable (R, MessageContext) async throws -> R.Reply)
        -> @Sendable ([UInt8], MessageContext) async throws -> [UInt8]
    {
        { body, context in
            try encode(try await handler(try payload(R.self, from: body), context), of: R.self)
        }
    }
}

/// One event of a bulk call (`HandlerRegistry.onBatch`): its payload and its envelope's header.
public struct BatchedEvent: Sendable {
    public var payload: any Sendable
    public var header: EnvelopeHeader
}

/// A decoding error as a person can act on it: which field, what was wrong.
func describeDecoding(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).filter { $0 != "payload" }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
        let prefix = path(context)
        return "\(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue) is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        return "\(path(context)): \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
