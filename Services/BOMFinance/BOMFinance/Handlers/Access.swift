import Contracts
import ServiceKit

extension MessageContext {
    /// The actor if they hold one of `roles` (services acting for themselves pass); 401/403 otherwise.
    func require(_ roles: [Role], to what: String) throws(ErrorReply) -> Actor {
        guard let actor else { throw ErrorReply(.unauthorized, "Sign in first.") }
        guard actor.hasAny(roles) || actor.roles.contains("SYSTEM") else {
            throw .forbidden("\(what) needs one of the roles \(roles.map(\.rawValue).joined(separator: ", ")).")
        }
        return actor
    }

    func audit(_ entity: String, _ id: String, _ action: String, before: (some Encodable)?, after: (some Encodable)?) async throws {
        try await AuditLog(connection: connection, logger: logger).record(
            entity: entity, id: id, action: action, actor: actor, correlationId: header.correlationId, before: before, after: after)
    }
}
