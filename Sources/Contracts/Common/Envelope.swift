import Foundation

/// The part of every message that is not its payload (docs/architecture.md, envelopes). Decoding just this lets
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
    /// The gateway's signature over `actor` for this very message (ActorVerifier.swift in ServiceKit).
    /// Not carried into caused messages: it names this message's id and type, so it would not verify there.
    public var actorProof: ActorProof?

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
        EnvelopeHeader(
            correlationId: correlationId, causationId: messageId, type: type,
            actor: actor ?? self.actor, idempotencyKey: idempotencyKey)
    }
}

/// Proof that the gateway vouches for a message's actor: an Ed25519 signature over the actor, the
/// message type, the message id and `at` (the message's `occurred_at` in whole milliseconds, kept as a
/// number because a timestamp's text may round differently after a trip through JSON).
public struct ActorProof: Codable, Sendable, Hashable {
    public var at: Int64
    /// Base64 of the 64-byte signature.
    public var signature: String
    public init(at: Int64, signature: String) {
        self.at = at
        self.signature = signature
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
        // A request outside its bounds is as unreadable to its owner as one with a missing field: the
        // owning service refuses it as it reads it, whoever sent it (InputRules.swift).
        if let request = payload as? any Request {
            do {
                try request.validate()
            } catch {
                let first = error.details.first ?? FieldError(field: "payload", message: error.message)
                let rest = error.details.dropFirst().map { "; \($0.field): \($0.message)" }.joined()
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath + [SnakeCaseKey("payload"), SnakeCaseKey(first.field)],
                        debugDescription: first.message + rest))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try header.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(payload, forKey: .payload)
    }
}

extension Envelope where Payload: Message {
    public init(
        _ payload: Payload, actor: Actor?, correlationId: UUID? = nil, causationId: UUID? = nil,
        idempotencyKey: String? = nil
    ) {
        self.init(
            header: EnvelopeHeader(
                correlationId: correlationId, causationId: causationId,
                type: Payload.messageType, actor: actor, idempotencyKey: idempotencyKey),
            payload: payload)
    }
}
