import Contracts
import Crypto
import Foundation

/// Who may act: a service runs a request only for an actor it can verify (docs/architecture.md, rule 11).
///
/// The gateway — the one place users sign in — signs each request's actor with an Ed25519 private key
/// (`ActorSigner`); services hold only the public key and check the signature before running anything.
/// The signature covers the actor, the message type, the message id and the time, so it cannot be
/// moved onto another message; a repeat of the same message id is harmless (commands return their
/// stored reply). Someone who can publish to the broker therefore cannot act as ADMIN.
///
/// Service-to-service requests carry `Actor.system(service)`, unsigned: services hold no private key.
/// Such an actor is trusted for **queries only** (read-only; `HandlerRegistry` knows which requests
/// are commands) — a command always needs a user the gateway vouched for. A service asking another
/// while handling a user's request asks as itself (`MessageContext.askAsService`): the user's signature
/// names the user's message and does not verify on a caused one. A request refused here is answered
/// UNAUTHORIZED and never run.
///
/// Configuration: `STITCH_ACTOR_PUBLIC_KEY` (base64 of the raw 32-byte Ed25519 public key). Without it a
/// service refuses to start (`ServiceRunner.main`, `configurationProblem`) unless `STITCH_ENV=development`, where it trusts
/// actors unsigned and says so in its log.
public struct ActorVerifier: Sendable {
    enum Trust: Sendable {
        case signedBy(Curve25519.Signing.PublicKey)
        /// Development without a key: every actor is taken at its word.
        case unsigned
        /// No usable key outside development: only services' own queries are run.
        case nobody(reason: String)
    }

    let trust: Trust

    public init(publicKey: Curve25519.Signing.PublicKey) { trust = .signedBy(publicKey) }
    init(trust: Trust) { self.trust = trust }

    /// Development only: trusts every actor as its header states it.
    public static let trustingUnsigned = ActorVerifier(trust: .unsigned)

    /// The verifier for the environment's settings, or a configuration error saying what is wrong.
    public static func fromEnvironment(_ environment: EnvironmentReader = EnvironmentReader()) throws -> ActorVerifier {
        guard let text = environment.optional("STITCH_ACTOR_PUBLIC_KEY") else {
            if environment.optional("STITCH_ENV") == "development" { return .trustingUnsigned }
            throw ConfigurationError(
                "STITCH_ACTOR_PUBLIC_KEY is not set: services verify the actor the gateway signs with it (base64 of the raw 32-byte Ed25519 public key); set STITCH_ENV=development to trust actors unsigned locally"
            )
        }
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw ConfigurationError("STITCH_ACTOR_PUBLIC_KEY must be base64 of a raw 32-byte Ed25519 public key")
        }
        return ActorVerifier(publicKey: key)
    }

    /// The verifier the environment configures; one that trusts nobody, and says why, when it cannot.
    public static func configured(_ environment: EnvironmentReader = EnvironmentReader()) -> ActorVerifier {
        do {
            return try fromEnvironment(environment)
        } catch {
            return ActorVerifier(trust: .nobody(reason: "\(error)"))
        }
    }

    /// Why a service cannot serve with this verifier (it would refuse every user's request), or nil.
    public var configurationProblem: String? {
        if case .nobody(let reason) = trust { return reason }
        return nil
    }

    /// What a service says at start when it trusts actors unsigned (development only).
    public var startupWarning: String? {
        if case .unsigned = trust { return "STITCH_ENV=development and no STITCH_ACTOR_PUBLIC_KEY: trusting every actor unsigned" }
        return nil
    }

    /// Why the request in `header` may not run, or nil when it may.
    public func refusal(of header: EnvelopeHeader, isCommand: Bool) -> ErrorReply? {
        if case .unsigned = trust { return nil }
        guard let actor = header.actor else { return Self.refused("it names no actor") }
        if let proof = header.actorProof {
            guard case .signedBy(let key) = trust else { return Self.refused("no public key is configured to check it") }
            guard let signature = Data(base64Encoded: proof.signature),
                key.isValidSignature(signature, for: Self.signedBytes(actor: actor, type: header.type, messageId: header.messageId, at: proof.at)),
                abs(proof.at - Self.milliseconds(header.occurredAt)) <= 1000
            else { return Self.refused("its actor's signature does not match") }
            return nil
        }
        guard actor.isSystem else { return Self.refused("its actor is not signed") }
        return isCommand ? Self.refused("a service may not run a command on its own authority") : nil
    }

    private static func refused(_ why: String) -> ErrorReply {
        ErrorReply(.unauthorized, "The request was refused because \(why); nothing was done.")
    }

    /// What the gateway signs: a version tag, the message type, id, time and the actor as JSON
    /// (Stitch's encoder sorts keys, so the same actor always gives the same bytes).
    static func signedBytes(actor: Actor, type: String, messageId: UUID, at: Int64) -> Data {
        var bytes = Data("stitch-actor-v1\n\(type)\n\(messageId.uuidString)\n\(at)\n".utf8)
        bytes.append(contentsOf: (try? StitchJSON.encode(actor)) ?? [])
        return bytes
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// The gateway's half: signs the actor of every request it sends. Holds the private key.
public struct ActorSigner: Sendable {
    let key: Curve25519.Signing.PrivateKey

    public init(privateKey: Curve25519.Signing.PrivateKey) { key = privateKey }

    /// From base64 of a raw 32-byte Ed25519 private key (`STITCH_ACTOR_SIGNING_KEY`); nil if it is not one.
    public init?(base64 text: String) {
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            return nil
        }
        self.key = key
    }

    /// Signs `header.actor` for exactly this message (type, id, time); a header without an actor is left as is.
    public func sign(_ header: inout EnvelopeHeader) throws {
        guard let actor = header.actor else { return }
        let at = ActorVerifier.milliseconds(header.occurredAt)
        let signature = try key.signature(for: ActorVerifier.signedBytes(actor: actor, type: header.type, messageId: header.messageId, at: at))
        header.actorProof = ActorProof(at: at, signature: signature.base64EncodedString())
    }

    /// The public key services need (`STITCH_ACTOR_PUBLIC_KEY` is its base64).
    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }
}

extension Actor {
    /// A service acting on its own (`Actor.system`), not a user.
    var isSystem: Bool { userId.hasPrefix("system:") && roles == ["SYSTEM"] }
}
