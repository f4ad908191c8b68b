import Contracts
import Foundation
import ServiceKit

/// The gateway's own settings, from the environment (besides `ServiceConfiguration`'s):
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `STITCH_HTTP_HOST`, `STITCH_HTTP_PORT` | where the API listens | 127.0.0.1, 8080 |
/// | `STITCH_OPS_HOST`, `STITCH_OPS_PORT` | where `/health`, `/ready`, `/metrics` listen (ServiceConfiguration, OpsServer) | 127.0.0.1, none |
/// | `STITCH_ENV` | `production` or `development` (allows a built-in JWT secret, unsigned actors, CORS `*`) | production |
/// | `STITCH_JWT_SECRET` | HMAC key for access tokens, ≥ 32 characters | required outside development |
/// | `STITCH_ACTOR_SIGNING_KEY` | base64 of the raw 32-byte Ed25519 private key that signs each request's actor (ActorVerifier.swift) | required outside development |
/// | `STITCH_CORS_ORIGINS` | comma-separated allowed origins (`*` only in development) | none |
/// | `STITCH_ACCESS_TOKEN_MINUTES` / `STITCH_REFRESH_TOKEN_DAYS` | token lifetimes | 15 / 7 |
/// | `STITCH_REFRESH_FAMILY_DAYS` | a sign-in's refresh chain ends this long after the sign-in, however often it is refreshed | 30 |
/// | `STITCH_REQUEST_TIMEOUT_MS` | how long a request waits for its service's reply | 10000 |
/// | `STITCH_TRUSTED_PROXIES` | comma-separated addresses of reverse proxies whose `X-Forwarded-For` names the client | none |
/// | `STITCH_BCRYPT_COST` | password hash cost | 11 |
/// | `STITCH_SEED_DEMO` | create the demo users on start | false |
/// | `STITCH_FACTORY_TIMEZONE` | what "today" is for the dates clients send (each within 5 years of it) | Asia/Jakarta |
/// | `STITCH_ADMIN_PASSWORD` | with it, the first administrator `admin` is created at start if missing (≥ 12 characters) | none |
public struct GatewaySettings: Sendable {
    public var host: String
    public var port: Int
    public var development: Bool
    public var jwtSecret: String
    public var corsOrigins: [String]
    /// Signs each request's actor for the services; nil only in development (services there trust unsigned actors).
    public var actorSigner: ActorSigner?
    public var accessTokenLifetime: Duration
    public var refreshTokenLifetime: Duration
    /// The absolute lifetime of a refresh-token family (one sign-in and all its refreshes).
    public var refreshFamilyLifetime: Duration
    public var requestTimeout: Duration
    public var bcryptCost: Int
    /// Reverse proxies whose `X-Forwarded-For` is believed (failed sign-ins are counted per client address).
    public var trustedProxies: Set<String>
    public var seedDemoUsers: Bool
    /// The password of the first administrator (`InitialAdmin`), when the deployment asks for one.
    public var initialAdminPassword: String?
    /// Failed logins before a user is locked out, and for how long.
    public var maxFailedLogins = 5
    public var lockout: Duration = .seconds(15 * 60)
    /// How often the gateway deletes stale login failures and dead refresh tokens, and how many rows at most each time.
    public var cleanupInterval: Duration = .seconds(15 * 60)
    public var cleanupBatch = 1000
    /// The factory's time zone and the clock (tests move it): the dates of every request are checked
    /// against the factory's today (InputRules.dateProblem), here and again in the owning service.
    public var timeZone: TimeZone
    public var now: @Sendable () -> Date = { Date() }
    public var today: LocalDate { LocalDate.of(now(), in: timeZone) }

    public init(environment: EnvironmentReader = EnvironmentReader()) throws {
        host = try environment.string("STITCH_HTTP_HOST", default: "127.0.0.1")
        timeZone = try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta")
        port = try environment.int("STITCH_HTTP_PORT", default: 8080, range: 0...65535)
        let mode = try environment.string("STITCH_ENV", default: "production")
        guard mode == "production" || mode == "development" else {
            throw ConfigurationError("STITCH_ENV must be production or development, got \"\(mode)\"")
        }
        development = mode == "development"
        if let secret = environment.optional("STITCH_JWT_SECRET") {
            jwtSecret = secret
        } else if development {
            jwtSecret = "development-only-secret-do-not-use-in-a-factory"
        } else {
            throw ConfigurationError(
                "STITCH_JWT_SECRET is not set: the gateway signs tokens with it (at least 32 characters); set STITCH_ENV=development to use a built-in one locally"
            )
        }
        guard jwtSecret.utf8.count >= 32 else {
            throw ConfigurationError("STITCH_JWT_SECRET must be at least 32 characters")
        }
        let origins =
            environment.optional("STITCH_CORS_ORIGINS")?.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        if origins.contains("*") && !development {
            throw ConfigurationError("STITCH_CORS_ORIGINS may not be * outside development; list the web app's origins")
        }
        corsOrigins = origins  // no origin by default, even in development: `*` must be asked for
        if let text = environment.optional("STITCH_ACTOR_SIGNING_KEY") {
            guard let signer = ActorSigner(base64: text) else {
                throw ConfigurationError("STITCH_ACTOR_SIGNING_KEY must be base64 of a raw 32-byte Ed25519 private key")
            }
            actorSigner = signer
        } else if development {
            actorSigner = nil
        } else {
            throw ConfigurationError(
                "STITCH_ACTOR_SIGNING_KEY is not set: the gateway signs each request's actor with it so services can verify who acts (base64 of a raw 32-byte Ed25519 private key); set STITCH_ENV=development to send actors unsigned locally"
            )
        }
        accessTokenLifetime = .seconds(60 * (try environment.int("STITCH_ACCESS_TOKEN_MINUTES", default: 15, range: 1...1440)))
        refreshTokenLifetime = .seconds(86400 * (try environment.int("STITCH_REFRESH_TOKEN_DAYS", default: 7, range: 1...90)))
        refreshFamilyLifetime = .seconds(86400 * (try environment.int("STITCH_REFRESH_FAMILY_DAYS", default: 30, range: 1...365)))
        requestTimeout = .milliseconds(try environment.int("STITCH_REQUEST_TIMEOUT_MS", default: 10_000, range: 100...120_000))
        trustedProxies = Set(
            environment.optional("STITCH_TRUSTED_PROXIES")?.split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? [])
        bcryptCost = try environment.int("STITCH_BCRYPT_COST", default: 11, range: 4...16)
        seedDemoUsers = try environment.bool("STITCH_SEED_DEMO", default: false)
        initialAdminPassword = environment.optional("STITCH_ADMIN_PASSWORD").flatMap { $0.isEmpty ? nil : $0 }
        if let password = initialAdminPassword, password.count < 12 {
            throw ConfigurationError("STITCH_ADMIN_PASSWORD must be at least 12 characters (it signs in the first administrator)")
        }
    }
}
