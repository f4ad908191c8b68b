import Foundation

/// The part of every message that is not its payload (DESIGN.md rule 2). Decoding just this lets
/// the messaging layer route, de-duplicate and log a message without knowing its payload type.
public struct EnvelopeHeader: Codable, Sendable, Hashable {
    public var messageId: UUID
    public var correlationId: UUID
    public var causationId: UUID?
    /// The versioned message name, e.g. `production.daily-input.recorded.v1`.
    public var type: String
    public var occurredAt: Date
    public var actor: Actor?
    /// A client-made key (a phone's entry id, a gateway retry): a command carrying one is applied once.
    public var idempotencyKey: String?

    public init(
        messageId: UUID = UUID(), correlationId: UUID? = nil, causationId: UUID? = nil, type: String,
        occurredAt: Date = Date(), actor: Actor? = nil, idempotencyKey: String? = nil
    ) {
        self.messageId = messageId
        self.correlationId = correlationId ?? messageId
        self.causationId = causationId
        self.type = type
        self.occurredAt = occurredAt
        self.actor = actor
        self.idempotencyKey = idempotencyKey
    }

    /// The header of a message caused by this one: same correlation, this message as its cause.
    public func caused(type: String, actor: Actor? = nil, idempotencyKey: String? = nil) -> EnvelopeHeader {
        EnvelopeHeader(correlationId: correlationId, causationId: messageId, type: type,
                       actor: actor ?? self.actor, idempotencyKey: idempotencyKey)
    }
}

/// A message as it travels: header fields and the payload side by side in one JSON object.
public struct Envelope<Payload: Codable & Sendable>: Codable, Sendable {
    public var header: EnvelopeHeader
    public var payload: Payload

    public init(header: EnvelopeHeader, payload: Payload) {
        self.header = header
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey { case payload }

    public init(from decoder: any Decoder) throws {
        header = try EnvelopeHeader(from: decoder)
        payload = try decoder.container(keyedBy: CodingKeys.self).decode(Payload.self, forKey: .payload)
    }

    public func encode(to encoder: any Encoder) throws {
        try header.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(payload, forKey: .payload)
    }
}

extension Envelope where Payload: Message {
    public init(_ payload: Payload, actor: Actor?, correlationId: UUID? = nil, causationId: UUID? = nil,
                idempotencyKey: String? = nil) {
        self.init(
            header: EnvelopeHeader(correlationId: correlationId, causationId: causationId,
                                   type: Payload.messageType, actor: actor, idempotencyKey: idempotencyKey),
            payload: payload)
    }
}
