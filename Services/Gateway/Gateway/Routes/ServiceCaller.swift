import Contracts
import Foundation
import Messaging
import ServiceKit

/// Sends a route's command or query to its owning service with the user as actor and the request
/// id as correlation id; every failure arrives as an `ErrorReply` (503 unavailable, 504 timeout).
/// The one door from HTTP to the services, so what every request needs happens here: its bounds are
/// checked (400 before anything is sent), its actor is signed, a POST's `Idempotency-Key` travels with it.
struct ServiceCaller: Sendable {
    let bus: any MessageBus
    let timeout: Duration
    /// Nil only in development without a key (services there trust unsigned actors).
    let signer: ActorSigner?

    func send<R: Contracts.Request>(_ request: R, _ actor: Actor, _ context: GatewayContext, timeout: Duration? = nil) async throws -> R.Reply {
        try request.validate()
        let correlation = UUID(uuidString: context.requestId) ?? UUID()
        // A client's key is theirs alone: two users who both send "1" must not get each other's outcome; and it
        // names one request (its fingerprint), so a service never answers one request with another's outcome.
        let key =
            R.self is any Command.Type
            ? context.idempotencyKey.map { "\(actor.userId):\($0)" + (context.requestFingerprint.map { ":\($0.prefix(32))" } ?? "") } : nil
        var envelope = Envelope(request, actor: actor, correlationId: correlation, idempotencyKey: key)
        try signer?.sign(&envelope.header)
        do {
            return try await bus.send(envelope, timeout: timeout ?? self.timeout)
        } catch {
            throw Self.forClient(error, owner: R.owner, type: R.messageType, context)
        }
    }

    /// The error as the client may see it: an outage's detail (broker host, user, what failed) goes
    /// to the log, the client hears only which service is unavailable.
    static func forClient(_ error: ErrorReply, owner: ServiceName, type: String, _ context: GatewayContext) -> ErrorReply {
        guard error.code == .unavailable else { return error }
        context.logger.error("\(type) to \(owner.rawValue) failed: \(error.message)")
        return ErrorReply(.unavailable, "The \(owner.rawValue) service is unavailable; try again.")
    }
}
