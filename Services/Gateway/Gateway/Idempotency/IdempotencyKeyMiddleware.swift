import Contracts
import Hummingbird

/// Binds a client's `Idempotency-Key` to the request it was first sent with (`RequestFingerprint`), for
/// every request that changes something (POST, PUT, PATCH, DELETE) of a signed-in user:
/// - the same key with the same request goes on, and its service answers the stored first outcome;
/// - the same key with another request (another body, path, method) is 422 `IDEMPOTENCY_KEY_REUSED`
///   naming the header, and nothing is sent anywhere;
/// - a request answered 4xx changed nothing, so its key is let go: the client may fix the request and
///   send it again under the same key. Any other outcome (success, 5xx, a timeout) keeps the key.
/// Keys are remembered for `RequestKeyRetention.days`. The fingerprint also travels to the service inside
/// the command's key (`ServiceCaller`), so no service can replay one request's outcome for another.
struct IdempotencyKeyMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let store: any RequestKeyStore
    /// The largest body any route reads (JSON and CSV: 2 MiB), plus room for a JSON body's overhead.
    static let maxBodyBytes = 2 * 1024 * 1024 + 64 * 1024

    static func binds(_ method: HTTPRequest.Method) -> Bool { [.post, .put, .patch, .delete].contains(method) }

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        guard let key = context.idempotencyKey, let user = context.actor?.userId, Self.binds(request.method) else {
            return try await next(request, context)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBodyBytes)
        } catch {
            throw ErrorReply(.malformed, "The request body is larger than \(Self.maxBodyBytes / 1024) KiB.")
        }
        let fingerprint = RequestFingerprint(
            method: request.method, path: request.uri.path, query: request.uri.query,
            body: Array(body.readableBytesView), userId: user)
        let this = KeyedRequest(fingerprint: fingerprint.value, method: request.method.rawValue, path: request.uri.path)
        let bound = try await store.bind(user: user, key: key, to: this)
        guard bound.fingerprint == this.fingerprint else { throw Self.reused(bound) }
        var context = context
        context.requestFingerprint = fingerprint.value
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as ErrorReply where (400..<500).contains(error.code.httpStatus) {
            try await store.release(user: user, key: key, fingerprint: this.fingerprint)
            throw error
        }
        if (400..<500).contains(response.status.code) {
            try await store.release(user: user, key: key, fingerprint: this.fingerprint)
        }
        return response
    }

    static func reused(_ first: KeyedRequest) -> ErrorReply {
        ErrorReply(
            .idempotencyKeyReused,
            "This Idempotency-Key was used for another request (\(first.method) \(first.path)); use a new key for a new request.",
            details: [FieldError(field: "Idempotency-Key", message: "was used for another request: send a new key")])
    }
}
