/// A message as the transport sees it: bytes plus the AMQP properties Stitch uses.
public struct OutgoingMessage: Sendable, Hashable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageId: String
    public var correlationId: String?
    public var type: String?
    public var replyTo: String?
    public var headers: [String: String]
    /// Unroutable is an error (basic.return) rather than a silent drop.
    public var mandatory: Bool
    public var persistent: Bool

    public init(
        exchange: String, routingKey: String, body: [UInt8], messageId: String, correlationId: String? = nil,
        type: String? = nil, replyTo: String? = nil, headers: [String: String] = [:], mandatory: Bool = true,
        persistent: Bool = true
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.correlationId = correlationId
        self.type = type
        self.replyTo = replyTo
        self.headers = headers
        self.mandatory = mandatory
        self.persistent = persistent
    }
}

public struct IncomingMessage: Sendable, Hashable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageId: String?
    public var correlationId: String?
    public var type: String?
    public var replyTo: String?
    public var headers: [String: String]
    public var redelivered: Bool
    /// How often the broker delivered it before (quorum queues' `x-delivery-count`).
    public var deliveryCount: Int

    public init(
        exchange: String, routingKey: String, body: [UInt8], messageId: String? = nil, correlationId: String? = nil,
        type: String? = nil, replyTo: String? = nil, headers: [String: String] = [:], redelivered: Bool = false,
        deliveryCount: Int = 0
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.correlationId = correlationId
        self.type = type
        self.replyTo = replyTo
        self.headers = headers
        self.redelivered = redelivered
        self.deliveryCount = deliveryCount
    }
}

/// Settles one delivery. Implemented by each transport; a settle for a delivery of a connection
/// that has since been lost is ignored (the broker redelivers it, the inbox makes that harmless).
public protocol DeliverySettler: AnyObject, Sendable {
    func ack(_ tag: UInt64, generation: UInt64)
    /// Several deliveries of one connection at once (a batch that committed together); a transport may
    /// settle them with fewer frames.
    func ack(_ tags: [UInt64], generation: UInt64)
    func reject(_ tag: UInt64, generation: UInt64, requeue: Bool)
}

extension DeliverySettler {
    public func ack(_ tags: [UInt64], generation: UInt64) {
        for tag in tags { ack(tag, generation: generation) }
    }
}

public struct Delivery: Sendable {
    public let message: IncomingMessage
    public let queue: String
    let tag: UInt64
    let generation: UInt64
    let settler: any DeliverySettler

    public init(message: IncomingMessage, queue: String, tag: UInt64, generation: UInt64, settler: any DeliverySettler) {
        self.message = message
        self.queue = queue
        self.tag = tag
        self.generation = generation
        self.settler = settler
    }

    public func ack() { settler.ack(tag, generation: generation) }

    /// Acks all of `deliveries`: those of one connection and generation together (one settle for the batch).
    public static func ack(_ deliveries: [Delivery]) {
        var rest = deliveries[...]
        while let first = rest.first {
            let together = rest.prefix { $0.generation == first.generation && $0.settler === first.settler }
            if together.count == 1 { first.ack() } else { first.settler.ack(together.map(\.tag), generation: first.generation) }
            rest = rest.dropFirst(together.count)
        }
    }
    /// Back to the queue (counted towards its delivery limit) or, without requeue, dead-lettered.
    public func reject(requeue: Bool) { settler.reject(tag, generation: generation, requeue: requeue) }
}

public enum MessagingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No queue is bound for it (a `mandatory` message came back).
    case unroutable(exchange: String, routingKey: String, reason: String)
    /// The broker refused to take responsibility for it (basic.nack).
    case nacked(messageId: String)
    /// The connection broke before the outcome was known; publishing again is safe (consumers de-duplicate).
    case connectionLost(String)
    /// No reply came in time.
    case timeout(String)
    /// The broker cannot be reached at all right now.
    case unavailable(String)
    case protocolError(String)
    case invalidConfiguration(String)
    case closed

    public var description: String {
        switch self {
        case .unroutable(let exchange, let key, let reason): "unroutable: \(exchange)/\(key) (\(reason))"
        case .nacked(let id): "broker refused message \(id)"
        case .connectionLost(let why): "connection lost: \(why)"
        case .timeout(let what): "timed out: \(what)"
        case .unavailable(let why): "broker unavailable: \(why)"
        case .protocolError(let why): "AMQP protocol error: \(why)"
        case .invalidConfiguration(let why): "invalid messaging configuration: \(why)"
        case .closed: "the message bus is closed"
        }
    }
}
