import Contracts
import Messaging

extension MessageContext {
    /// Asks another service as this service (`Actor.system`), not as the user whose message is being
    /// handled: the user's signature names the user's message, and services are trusted for their own
    /// queries only (ActorVerifier.swift). Use it for every service-to-service query.
    public func askAsService<Q: Query>(_ query: Q, timeout: Duration = .seconds(5)) async throws -> Q.Reply {
        try mayWait(for: Q.messageType)
        let header = header.caused(type: Q.messageType, actor: .system(service))
        return try await bus.send(Envelope(header: header, payload: query), timeout: timeout)
    }
}
