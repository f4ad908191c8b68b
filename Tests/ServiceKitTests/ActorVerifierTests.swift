import Contracts
import Crypto
import Foundation
import ServiceKit
import Testing

/// A service runs a request only for an actor the gateway signed (ActorVerifier.swift).
@Suite struct ActorVerifierTests {
    let key = Curve25519.Signing.PrivateKey()
    var signer: ActorSigner { ActorSigner(privateKey: key) }
    var verifier: ActorVerifier { ActorVerifier(publicKey: key.publicKey) }
    let admin = Actor(userId: "9", username: "admin", roles: ["ADMIN"])
    let staff = Actor(userId: "7", username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")

    func signed(_ actor: Actor, type: String = "production.spk.create.v1") throws -> EnvelopeHeader {
        var header = EnvelopeHeader(type: type, actor: actor)
        try signer.sign(&header)
        return header
    }

    /// The header as a service reads it: through JSON, as it travels.
    func travelled(_ header: EnvelopeHeader) throws -> EnvelopeHeader {
        try StitchJSON.decode(EnvelopeHeader.self, from: StitchJSON.encode(header))
    }

    @Test func aSignedActorIsTrustedAfterItsTripThroughTheBroker() throws {
        for _ in 0..<50 {
            #expect(verifier.refusal(of: try travelled(try signed(staff)), isCommand: true) == nil)
        }
    }

    @Test func aForgedOrAlteredActorIsRefused() throws {
        // No signature at all: anyone on the broker claiming ADMIN.
        #expect(verifier.refusal(of: EnvelopeHeader(type: "production.spk.create.v1", actor: admin), isCommand: true)?.code == .unauthorized)
        // Staff's signature with the roles changed to ADMIN.
        var promoted = try signed(staff)
        promoted.actor?.roles = ["ADMIN"]
        #expect(verifier.refusal(of: promoted, isCommand: true)?.code == .unauthorized)
        // A genuine signature moved onto another message (another id, another type).
        var moved = try signed(admin)
        moved.messageId = UUID()
        #expect(verifier.refusal(of: moved, isCommand: true)?.code == .unauthorized)
        var retyped = try signed(admin, type: "production.spk.list.v1")
        retyped.type = "production.spk.create.v1"
        #expect(verifier.refusal(of: retyped, isCommand: true)?.code == .unauthorized)
        // Signed with a key that is not the gateway's.
        var stranger = EnvelopeHeader(type: "production.spk.create.v1", actor: admin)
        try ActorSigner(privateKey: Curve25519.Signing.PrivateKey()).sign(&stranger)
        #expect(verifier.refusal(of: stranger, isCommand: true)?.code == .unauthorized)
    }

    @Test func aServiceMayQueryOnItsOwnAuthorityButNotCommand() {
        let system = EnvelopeHeader(type: "production.spk.get.v1", actor: .system("approval"))
        #expect(verifier.refusal(of: system, isCommand: false) == nil)
        #expect(verifier.refusal(of: system, isCommand: true)?.code == .unauthorized)
        // Pretending to be a service with more roles is not a service.
        var pretender = Actor.system("approval")
        pretender.roles.append("ADMIN")
        #expect(verifier.refusal(of: EnvelopeHeader(type: "production.spk.get.v1", actor: pretender), isCommand: false) != nil)
    }

    @Test func withoutAKeyAServiceStartsOnlyInDevelopment() throws {
        #expect(throws: ConfigurationError.self) { try ActorVerifier.fromEnvironment(EnvironmentReader([:])) }
        #expect(throws: ConfigurationError.self) {
            try ActorVerifier.fromEnvironment(EnvironmentReader(["STITCH_ACTOR_PUBLIC_KEY": "bm90IGEga2V5"]))
        }
        let development = try ActorVerifier.fromEnvironment(EnvironmentReader(["STITCH_ENV": "development"]))
        #expect(development.refusal(of: EnvelopeHeader(type: "x.y.z.v1", actor: admin), isCommand: true) == nil)
        let configured = try ActorVerifier.fromEnvironment(
            EnvironmentReader([
                "STITCH_ACTOR_PUBLIC_KEY": key.publicKey.rawRepresentation.base64EncodedString()
            ]))
        #expect(configured.refusal(of: try signed(admin), isCommand: true) == nil)
        #expect(configured.refusal(of: EnvelopeHeader(type: "x.y.z.v1", actor: admin), isCommand: true) != nil)
    }
}
