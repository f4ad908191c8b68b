import Contracts
import Foundation
import Messaging

/// Sends a route's command or query to its owning service with the user as actor and the request
/// id as correlation id; every failure arrives as an `ErrorReply` (503 unavailable, 504 timeout).
struct ServiceCaller: Sendable {
    let bus: any MessageBus
    let timeout: Duration

    func send<R: Contracts.Request>(_ request: R, _ actor: Actor, _ context: GatewayContext, timeout: Duration? = nil) async throws -> R.Reply {
        let correlation = UUID(uuidString: context.requestId) ?? UUID()
        return try await bus.send(Envelope(request, actor: actor, correlationId: correlation), timeout: timeout ?? self.timeout)
    }
}
