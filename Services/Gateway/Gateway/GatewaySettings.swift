import Foundation
import ServiceKit

/// The gateway's own settings, from the environment (besides `ServiceConfiguration`'s):
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `STITCH_HTTP_HOST`, `STITCH_HTTP_PORT` | where the API listens | 0.0.0.0, 8080 |
/// | `STITCH_ENV` | `production` or `development` (allows a built-in JWT secret, CORS `*`) | production |
/// | `STITCH_JWT_SECRET` | HMAC key for access tokens, ≥ 32 characters | required outside development |
/// | `STITCH_CORS_ORIGINS` | comma-separated allowed origins | none (development: any) |
/// | `STITCH_ACCESS_TOKEN_MINUTES` / `STITCH_REFRESH_TOKEN_DAYS` | token lifetimes | 15 / 7 |
/// | `STITCH_REQUEST_TIMEOUT_MS` | how long a request waits for its service's reply | 10000 |
/// | `STITCH_BCRYPT_COST` | password hash cost | 11 |
/// | `STITCH_SEED_DEMO` | create the demo users on start | false |
public struct GatewaySettings: Sendable {
    public var host: String
    public var port: Int
    public var development: Bool
    public var jwtSecret: String
    public var corsOrigins: [String]
    public var accessTokenLifetime: Duration
    public var refreshTokenLifetime: Duration
    public var requestTimeout: Duration
    public var bcryptCost: Int
    public var seedDemoUsers: Bool
    /// Failed logins before a user is locked out, and for how long.
    public var maxFailedLogins = 5
    public var lockout: Duration = .seconds(15 * 60)

    public init(environment: EnvironmentReader = EnvironmentReader()) throws {
        host = try environment.string("STITCH_HTTP_HOST", default: "0.0.0.0")
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
            throw ConfigurationError("STITCH_JWT_SECRET is not set: the gateway signs tokens with it (at least 32 characters); set STITCH_ENV=development to use a built-in one locally")
        }
        guard jwtSecret.utf8.count >= 32 else {
            throw ConfigurationError("STITCH_JWT_SECRET must be at least 32 characters")
        }
        let origins = environment.optional("STITCH_CORS_ORIGINS")?.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        if origins.contains("*") && !development {
            throw ConfigurationError("STITCH_CORS_ORIGINS may not be * outside development; list the web app's origins")
        }
        corsOrigins = origins.isEmpty && development ? ["*"] : origins
        accessTokenLifetime = .seconds(60 * (try environment.int("STITCH_ACCESS_TOKEN_MINUTES", default: 15, range: 1...1440)))
        refreshTokenLifetime = .seconds(86400 * (try environment.int("STITCH_REFRESH_TOKEN_DAYS", default: 7, range: 1...90)))
        requestTimeout = .milliseconds(try environment.int("STITCH_REQUEST_TIMEOUT_MS", default: 10_000, range: 100...120_000))
        bcryptCost = try environment.int("STITCH_BCRYPT_COST", default: 11, range: 4...16)
        seedDemoUsers = try environment.bool("STITCH_SEED_DEMO", default: false)
    }
}
