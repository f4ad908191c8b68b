import Contracts

extension MessageContext {
    /// The actor if they hold one of `roles`: 401 without an actor, 403 naming the roles otherwise.
    /// With `servicesPass`, a service asking on its own authority passes too (queries only: the
    /// verifier refuses a command on a service's own authority).
    public func require(_ roles: [Role], to what: String, servicesPass: Bool = false) throws(ErrorReply) -> Actor {
        guard let actor else { throw ErrorReply(.unauthorized, "Sign in first.") }
        guard actor.hasAny(roles) || (servicesPass && actor.roles.contains("SYSTEM")) else {
            throw .forbidden("\(what) needs one of the roles \(roles.map(\.rawValue).joined(separator: ", ")).")
        }
        return actor
    }

    /// Records who changed what, in this message's transaction (so it commits with the change).
    public func audit(_ entity: String, _ id: String, _ action: String, before: (some Encodable)?, after: (some Encodable)?) async throws {
        try await effects.audit([
            AuditLog.Row(
                entity: entity, id: id, action: action, actor: actor, correlationId: header.correlationId,
                before: before, after: after)
        ])
    }
}
