import Contracts
import Foundation

/// Typed sending of commands, queries and events over any `MessageBus`, so services and the
/// gateway never build AMQP messages by hand.
extension OutgoingMessage {
    /// A request to its owner: `stitch.commands`, routed by message type, mandatory (no owner is an error).
    public static func request<R: Request>(_ envelope: Envelope<R>) throws -> OutgoingMessage {
        OutgoingMessage(
            exchange: Topology.commandsExchange, routingKey: R.messageType, body: try StitchJSON.encode(envelope),
            messageId: envelope.header.messageId.uuidString, correlationId: envelope.header.messageId.uuidString,
            type: R.messageType, mandatory: true, persistent: false)
    }

    /// An event on `stitch.events`: not mandatory (an event nobody follows yet is not an error), persistent.
    public static func event<E: Event>(_ envelope: Envelope<E>) throws -> OutgoingMessage {
        OutgoingMessage(
            exchange: Topology.eventsExchange, routingKey: E.messageType, body: try StitchJSON.encode(envelope),
            messageId: envelope.header.messageId.uuidString, correlationId: envelope.header.correlationId.uuidString,
            type: E.messageType, mandatory: false, persistent: true)
    }

    /// The answer to a request, to its direct reply-to address.
    public static func reply(to request: IncomingMessage, body: [UInt8]) -> OutgoingMessage? {
        guard let replyTo = request.replyTo else { return nil }
        return OutgoingMessage(
            exchange: "", routingKey: replyTo, body: body, messageId: UUID().uuidString,
            correlationId: request.correlationId ?? request.messageId, mandatory: false, persistent: false)
    }
}

extension MessageBus {
    /// Sends a request and waits for its reply. Every failure arrives as an `ErrorReply` the gateway
    /// can answer with: the handler's own, `TIMEOUT` (504) or `SERVICE_UNAVAILABLE` (503).
    public func send<R: Request>(_ envelope: Envelope<R>, timeout: Duration = .seconds(10)) async throws(ErrorReply) -> R.Reply {
        let reply: IncomingMessage
        do {
            reply = try await request(try .request(envelope), timeout: timeout)
        } catch let error as MessagingError {
            switch error {
            case .timeout: throw ErrorReply(.timeout, "\(R.owner.rawValue) did not answer in time.")
            case .unroutable: throw ErrorReply(.unavailable, "No \(R.owner.rawValue) service is running to handle \(R.messageType).")
            default: throw ErrorReply(.unavailable, "The message broker cannot be reached (\(error)).")
            }
        } catch {
            throw ErrorReply(.internalError, "The request could not be sent.")
        }
        let outcome: RequestOutcome<R.Reply>
        do {
            outcome = try StitchJSON.decode(RequestOutcome<R.Reply>.self, from: reply.body)
        } catch {
            throw ErrorReply(.internalError, "\(R.owner.rawValue) sent a reply that could not be read.")
        }
        return try outcome.get()
    }

    /// Publishes an event directly (confirmed). Services publish through their outbox instead, so the
    /// event commits with the state change; this is for tools and tests.
    public func publish<E: Event>(_ envelope: Envelope<E>) async throws {
        try await publish(try .event(envelope))
    }
}
