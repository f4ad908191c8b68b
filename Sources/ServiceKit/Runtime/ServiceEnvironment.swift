import Foundation

/// What every handler of one service shares and a test replaces: its clock and whom it trusts to act.
/// Built once, in the service's `main` (`live`) or by a test, handed to the service's definition and from
/// there to every `MessageContext`; nothing in a handler reads the system clock or a process-wide verifier.
public struct ServiceEnvironment: Sendable {
    /// The wall clock. Tests move it (`TestClock`).
    public var now: @Sendable () -> Date
    /// Checks the actor of every request before it runs (ActorVerifier.swift).
    public var verifier: ActorVerifier

    public init(verifier: ActorVerifier, now: @escaping @Sendable () -> Date = { Date() }) {
        self.verifier = verifier
        self.now = now
    }

    /// The system clock and the verifier `STITCH_ACTOR_PUBLIC_KEY` configures. A missing or unusable key does
    /// not stop an ops verb (it runs no request); `ServiceRunner.main` refuses to serve with it, saying why.
    public static func live(_ environment: EnvironmentReader = EnvironmentReader()) -> ServiceEnvironment {
        ServiceEnvironment(verifier: ActorVerifier.configured(environment))
    }

    /// Development and benchmarks in one process: every actor taken at its word.
    public static let trustingUnsigned = ServiceEnvironment(verifier: .trustingUnsigned)
}
