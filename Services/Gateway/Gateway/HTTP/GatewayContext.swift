import Contracts
import HTTPTypes
import Hummingbird

/// Per request: its id (echoed as `X-Request-Id`, carried as the correlation id) and the signed-in user.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestId: String = ""
    public var actor: Actor?
    /// The client's `Idempotency-Key` (checked by `InputCheckMiddleware`): a repeated POST with it gets the first outcome.
    public var idempotencyKey: String?
    /// The fingerprint the key is bound to (`IdempotencyKeyMiddleware`); it becomes part of the command's key.
    public var requestFingerprint: String?

    /// The address the connection came from (a proxy's, when there is one: see `ClientAddress`).
    public var peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The signed-in user, or 401.
    func requireActor() throws(ErrorReply) -> Actor {
        guard let actor else { throw ErrorReply(.unauthorized, "Sign in first: send Authorization: Bearer <access token>.") }
        return actor
    }

    /// The signed-in user if they have one of `roles`; 401 or 403 otherwise.
    func require(_ roles: [Role]) throws(ErrorReply) -> Actor {
        let actor = try requireActor()
        guard actor.hasAny(roles) else {
            throw .forbidden("This needs one of the roles \(roles.map(\.rawValue).joined(separator: ", ")).")
        }
        return actor
    }
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}
