import Foundation
import PostgresNIO

/// A service's database: a `postgres://` URL, the schema it owns and the pool size. Every
/// connection starts with `search_path` set to the schema, so SQL never names it.
public struct DatabaseConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var schema: String
    public var poolSize: Int
    /// `sslmode=require` (or `verify-full`) in the URL: TLS required; default: TLS if offered.
    public var tls: PostgresClient.Configuration.TLS
    /// The server ends a statement that runs longer (0: never), and a transaction left idle for
    /// twice as long, so no await on the database can last for ever on the server's side.
    public var statementTimeoutSeconds: Int

    public init(url: String, schema: String, poolSize: Int = 10, statementTimeoutSeconds: Int = 60) throws {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else { throw ConfigurationError("expected a postgres://user:password@host:port/database URL") }
        guard schema.range(of: #"^[a-z_][a-z0-9_]*$"#, options: .regularExpression) != nil else {
            throw ConfigurationError("schema \"\(schema)\" must be a lower-case SQL identifier")
        }
        self.host = host
        port = components.port ?? 5432
        username = components.user?.removingPercentEncoding ?? "postgres"
        password = components.password?.removingPercentEncoding
        database = String(components.path.dropFirst())
        if database.isEmpty { throw ConfigurationError("the database URL names no database") }
        self.schema = schema
        self.poolSize = poolSize
        self.statementTimeoutSeconds = statementTimeoutSeconds
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch query["sslmode"] {
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case "disable": tls = .disable
        default: tls = .prefer(.makeClientConfiguration())
        }
    }

    public func clientConfiguration() -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = poolSize
        configuration.options.additionalStartupParameters = [
            ("search_path", schema), ("application_name", "stitch-\(schema)"),
            ("statement_timeout", "\(statementTimeoutSeconds)s"),
            ("idle_in_transaction_session_timeout", "\(statementTimeoutSeconds * 2)s"),
        ]
        return configuration
    }
}
