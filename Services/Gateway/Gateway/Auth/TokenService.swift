import Contracts
import Crypto
import Foundation
import JWTKit
import Synchronization

/// The claims of an access token: who, with which roles and department, until when.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var username: String
    var roles: [String]
    var department: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    var actor: Actor { Actor(userId: sub.value, username: username, roles: roles, department: department) }
}

/// Signs and checks access tokens (HS256 with the configured secret) and makes refresh tokens.
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let accessLifetime: Duration
    private let verified = VerifiedTokens()

    init(secret: String, accessLifetime: Duration) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.accessLifetime = accessLifetime
    }

    func accessToken(for user: User) async throws -> String {
        let now = Date()
        let claims = AccessClaims(
            sub: .init(value: user.id.uuidString),
            exp: .init(value: now.addingTimeInterval(Double(accessLifetime.components.seconds))),
            iat: .init(value: now), username: user.username, roles: user.roles,
            department: user.department)
        return try await keys.sign(claims)
    }

    /// The actor of a valid, unexpired token; nil for anything else.
    func verify(_ token: String) async -> Actor? {
        let now = Date()
        if let known = verified.actor(of: token, at: now) { return known }
        guard let claims = try? await keys.verify(token, as: AccessClaims.self) else { return nil }
        verified.remember(token, claims.actor, until: claims.exp.value)
        return claims.actor
    }

    /// A new opaque refresh token (256 random bits) and the hash stored for it.
    static func newRefreshToken() -> (token: String, hash: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (token, hash(token))
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Tokens already verified, with their actor, until they expire: a client sends the same token with
/// every request, and parsing and checking it again each time was a tenth of the gateway's work per
/// daily input. A token is only ever in here after its signature checked out, and an expired one is
/// never answered from here. Bounded: when full, it starts over.
final class VerifiedTokens: Sendable {
    private let known = Mutex<[String: (actor: Actor, expires: Date)]>([:])
    static let capacity = 10_000

    func actor(of token: String, at now: Date) -> Actor? {
        known.withLock { known in
            guard let entry = known[token] else { return nil }
            guard entry.expires > now else {
                known[token] = nil
                return nil
            }
            return entry.actor
        }
    }

    func remember(_ token: String, _ actor: Actor, until expires: Date) {
        known.withLock { known in
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[token] = (actor, expires)
        }
    }
}
