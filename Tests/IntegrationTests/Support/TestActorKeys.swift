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

    /// Every service runtime of this process checks actors against the test key (idempotent).
    static func installVerifier() {
        ActorVerifier.install(ActorVerifier(publicKey: privateKey.publicKey))
    }

    /// `envelope` with its actor signed, as the gateway sends it.
    static func signed<R: Request>(_ envelope: Envelope<R>) throws -> Envelope<R> {
        var envelope = envelope
        try signer.sign(&envelope.header)
        return envelope
    }
}
