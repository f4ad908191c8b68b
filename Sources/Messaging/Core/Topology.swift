/// Exchanges, queues and bindings. Declared when a connection opens and again after every
/// reconnect, so a broker that lost them (a new node) gets them back before anything flows.
public struct Topology: Sendable, Hashable {
    public enum ExchangeKind: String, Sendable, Hashable { case direct, topic, fanout }

    public struct Exchange: Sendable, Hashable {
        public var name: String
        public var kind: ExchangeKind
        public init(_ name: String, kind: ExchangeKind) {
            self.name = name
            self.kind = kind
        }
    }

    public struct Queue: Sendable, Hashable {
        public var name: String
        /// Dead letters go to `stitch.dead` with routing key `<name>.dead`, into a queue of that name.
        public var deadLettered: Bool
        /// Deliveries after which the broker itself dead-letters a message (even if consumers crash).
        public var deliveryLimit: Int?
        /// Set for a notification stream of one process (`Topology.transientQueue`); nil for the
        /// durable quorum queues that carry work.
        public var transient: Transient?
        public init(_ name: String, deadLettered: Bool = true, deliveryLimit: Int? = Topology.defaultDeliveryLimit) {
            self.name = name
            self.deadLettered = deadLettered
            self.deliveryLimit = deliveryLimit
        }
        public var deadLetterQueue: String { "\(name).dead" }
    }

    /// A classic, non-durable queue that the broker deletes once it has had no consumer for
    /// `expiresAfter`, holding at most `maxLength` messages (the oldest are dropped). For what may be
    /// lost without harm — a process's own stream of change notifications — never for work.
    public struct Transient: Sendable, Hashable {
        public var expiresAfter: Duration
        public var maxLength: Int
        public init(expiresAfter: Duration, maxLength: Int) {
            self.expiresAfter = expiresAfter
            self.maxLength = maxLength
        }
    }

    public struct Binding: Sendable, Hashable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    public static let commandsExchange = "stitch.commands"
    public static let eventsExchange = "stitch.events"
    public static let deadExchange = "stitch.dead"
    public static let defaultDeliveryLimit = 10

    /// The three exchanges every service relies on.
    public static let base = Topology(exchanges: [
        Exchange(commandsExchange, kind: .direct),
        Exchange(eventsExchange, kind: .topic),
        Exchange(deadExchange, kind: .direct),
    ])

    /// A durable quorum queue with its dead-letter queue, bound to `exchange` for each routing key.
    public static func queue(
        _ name: String, exchange: String, routingKeys: [String], deliveryLimit: Int? = defaultDeliveryLimit
    ) -> Topology {
        var topology = base
        let queue = Queue(name, deliveryLimit: deliveryLimit)
        topology.queues = [queue, Queue(queue.deadLetterQueue, deadLettered: false, deliveryLimit: nil)]
        topology.bindings =
            routingKeys.map { Binding(queue: name, exchange: exchange, routingKey: $0) }
            + [Binding(queue: queue.deadLetterQueue, exchange: deadExchange, routingKey: queue.deadLetterQueue)]
        return topology
    }

    /// A transient queue (see `Transient`) bound to `exchange` for each routing key: no dead letters,
    /// no delivery limit; gone when its process is.
    public static func transientQueue(
        _ name: String, exchange: String, routingKeys: [String], expiresAfter: Duration = .seconds(60), maxLength: Int = 1000
    ) -> Topology {
        var topology = base
        var queue = Queue(name, deadLettered: false, deliveryLimit: nil)
        queue.transient = Transient(expiresAfter: expiresAfter, maxLength: maxLength)
        topology.queues = [queue]
        topology.bindings = routingKeys.map { Binding(queue: name, exchange: exchange, routingKey: $0) }
        return topology
    }

    /// `<service>.commands`, bound on `stitch.commands` to each command and query type it handles.
    public static func commandQueue(_ name: String, types: [String]) -> Topology {
        queue(name, exchange: commandsExchange, routingKeys: types)
    }

    /// `<service>.events`, bound on `stitch.events` to the event types (or patterns) it follows.
    public static func eventQueue(_ name: String, patterns: [String]) -> Topology {
        queue(name, exchange: eventsExchange, routingKeys: patterns)
    }

    /// The `<queue>.dead` queues of this topology (to watch and to replay from).
    public var deadLetterQueues: [String] {
        queues.filter(\.deadLettered).map(\.deadLetterQueue)
    }

    public func merged(with other: Topology) -> Topology {
        func unique<T: Hashable>(_ items: [T]) -> [T] {
            var seen = Set<T>()
            return items.filter { seen.insert($0).inserted }
        }
        return Topology(
            exchanges: unique(exchanges + other.exchanges), queues: unique(queues + other.queues),
            bindings: unique(bindings + other.bindings))
    }
}

/// AMQP topic matching: words separated by `.`, `*` matches one word, `#` zero or more.
public func topicMatches(pattern: String, routingKey: String) -> Bool {
    func match(_ p: ArraySlice<Substring>, _ k: ArraySlice<Substring>) -> Bool {
        guard let head = p.first else { return k.isEmpty }
        if head == "#" {
            if match(p.dropFirst(), k) { return true }
            return !k.isEmpty && match(p, k.dropFirst())
        }
        guard let word = k.first else { return false }
        return (head == "*" || head == word) && match(p.dropFirst(), k.dropFirst())
    }
    return match(
        ArraySlice(pattern.split(separator: ".", omittingEmptySubsequences: false)),
        ArraySlice(routingKey.split(separator: ".", omittingEmptySubsequences: false)))
}
