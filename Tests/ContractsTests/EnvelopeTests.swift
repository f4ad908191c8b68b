import Contracts
import Foundation
import Testing

struct Recorded: Event {
    static let messageType = "production.daily-input.recorded.v1"
    var spkId: String
    var goodQty: Int
}

@Suite struct EnvelopeTests {
    @Test func envelopeFlattensHeaderAndPayloadInSnakeCase() throws {
        let actor = Actor(userId: "7", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
        let envelope = Envelope(Recorded(spkId: "SPK-1", goodQty: 40), actor: actor, idempotencyKey: "phone-1")
        let json = String(decoding: try StitchJSON.encode(envelope), as: UTF8.self)
        #expect(json.contains("\"type\":\"production.daily-input.recorded.v1\""))
        #expect(json.contains("\"payload\":{\"good_qty\":40,\"spk_id\":\"SPK-1\"}"))
        #expect(json.contains("\"idempotency_key\":\"phone-1\""))
        #expect(json.contains("\"user_id\":\"7\""))

        let decoded = try StitchJSON.decode(Envelope<Recorded>.self, from: Array(json.utf8))
        #expect(decoded.header.messageId == envelope.header.messageId)
        #expect(decoded.header.actor == actor)
        #expect(decoded.header.idempotencyKey == "phone-1")
        #expect(decoded.payload.goodQty == 40)
        // A new message starts its own correlation; its occurred-at keeps milliseconds.
        #expect(decoded.header.correlationId == decoded.header.messageId)
        #expect(abs(decoded.header.occurredAt.timeIntervalSince(envelope.header.occurredAt)) < 0.001)
    }

    @Test func causedMessageKeepsCorrelationAndNamesItsCause() {
        let first = EnvelopeHeader(type: "a.b.c.v1", actor: .system("test"))
        let next = first.caused(type: "a.b.d.v1")
        #expect(next.correlationId == first.correlationId)
        #expect(next.causationId == first.messageId)
        #expect(next.messageId != first.messageId)
        #expect(next.actor == first.actor)
    }

    @Test func headerDecodesWithoutKnowingThePayload() throws {
        let body = try StitchJSON.encode(Envelope(Recorded(spkId: "S", goodQty: 1), actor: nil))
        let header = try StitchJSON.decode(EnvelopeHeader.self, from: body)
        #expect(header.type == Recorded.messageType)
    }
}

@Suite struct ErrorReplyTests {
    @Test func codesMapToHTTPStatuses() {
        #expect(ErrorCode.validationFailed.httpStatus == 400)
        #expect(ErrorCode.malformed.httpStatus == 400)
        #expect(ErrorCode.unauthorized.httpStatus == 401)
        #expect(ErrorCode.forbidden.httpStatus == 403)
        #expect(ErrorCode.notFound.httpStatus == 404)
        #expect(ErrorCode.conflict.httpStatus == 409)
        #expect(ErrorCode.ruleViolated.httpStatus == 422)
        #expect(ErrorCode.unavailable.httpStatus == 503)
        #expect(ErrorCode.timeout.httpStatus == 504)
        #expect(ErrorCode(rawValue: "SOMETHING_NEW").httpStatus == 500)
    }

    @Test func outcomeRoundTripsAsDataOrError() throws {
        let success = try StitchJSON.encode(RequestOutcome<Accepted>.success(Accepted()))
        #expect(String(decoding: success, as: UTF8.self) == #"{"data":{"status":"ok"}}"#)
        let refusal = ErrorReply.validation([FieldError(field: "qty", message: "must be ≥ 0")])
        let failure = try StitchJSON.encode(RequestOutcome<Accepted>.failure(refusal))
        let decoded = try StitchJSON.decode(RequestOutcome<Recorded>.self, from: failure)
        #expect(throws: refusal) { try decoded.get() }
    }
}
