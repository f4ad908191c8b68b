import Contracts
import Crypto
import Foundation
import ServiceKit

/// One Ed25519 key pair for the whole test process, made here: the in-process gateway signs actors
/// with the private half and every service runtime verifies with the public half, as in production.
enum TestActorKeys {
    static let privateKey = Curve25519.Signing.PrivateKey()
    static var signingKeyBase64: String { privateKey.rawRepresentation.base64EncodedString() }
    static let signer = ActorSigner(privateKey: privateKey)

    /// What every service runtime of this process checks actors against: the test key's public half.
    static let verifier = ActorVerifier(publicKey: privateKey.publicKey)

    /// A service's environment in tests: the test key, and `now` (real time unless a test moves it).
    static func environment(now: @escaping @Sendable () -> Date = { Date() }) -> ServiceEnvironment {
        ServiceEnvironment(verifier: verifier, now: now)
    }

    /// `envelope` with its actor signed, as the gateway sends it.
    static func signed<R: Request>(_ envelope: Envelope<R>) throws -> Envelope<R> {
        var envelope = envelope
        try signer.sign(&envelope.header)
        return envelope
    }
}
