import Foundation
import Logging

/// What every Stitch service needs to start, from the environment:
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `STITCH_AMQP_URL` | broker, `amqp://` or `amqps://`; the nodes of one cluster comma separated (each connection fails over among them) | required |
/// | `STITCH_AMQP_LOGIN` | `user:password` for every node of `STITCH_AMQP_URL` that names no user (a deployment lists its nodes once for all services) | none |
/// | `STITCH_DATABASE_URL` | `postgres://role:password@host:port/db` of this service's role | required |
/// | `STITCH_DB_SCHEMA` | the schema it owns | the service name |
/// | `STITCH_DB_POOL_SIZE` | connections per instance | 10 |
/// | `STITCH_OPS_PORT` | port of `/health`, `/ready`, `/metrics` (0: none) | 0 |
/// | `STITCH_INSTANCE` | this instance's name in logs and metrics | host name + pid |
/// | `STITCH_PREFETCH` | unsettled messages per consumer | 32 |
/// | `STITCH_EVENT_BATCH` | events handled in one transaction at most (1: one by one) | 32 |
/// | `STITCH_EVENT_LINGER_MS` | a batch of events smaller than `STITCH_EVENT_BATCH` waits this long once for more (0: never) | 5 |
/// | `STITCH_COMMAND_BATCH` | commands registered `batched` (daily input) handled in one transaction at most (1: one by one) | 32 |
/// | `STITCH_LOG_LEVEL` | trace … critical | info |
/// | `STITCH_SHUTDOWN_SECONDS` | SIGTERM to exit, at most, whatever is down | 20 |
/// | `STITCH_LOOP_STALL_SECONDS` | a loop with work and no progress for this long makes `/ready` fail | 30 |
/// | `STITCH_POISON_DELIVERIES` | deliveries without a settle after which a message is parked unhandled | 5 |
/// | `STITCH_DB_STATEMENT_TIMEOUT_SECONDS` | the longest one SQL statement may run (0: no limit) | 60 |
public struct ServiceConfiguration: Sendable {
    public var service: String
    public var instance: String
    public var amqpURL: String
    public var database: DatabaseConfiguration
    public var opsPort: Int
    public var prefetch: Int
    public var eventBatch: Int
    public var eventLinger: Duration
    public var commandBatch: Int
    public var logLevel: Logger.Level
    public var shutdownSeconds: Int
    public var loopStall: Duration
    public var poisonDeliveries: Int

    public init(service: String, environment: EnvironmentReader = EnvironmentReader()) throws {
        self.service = service
        instance =
            environment.optional("STITCH_INSTANCE")
            ?? "\(service)-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        amqpURL = Self.url(
            try environment.string("STITCH_AMQP_URL", help: "the broker URL, e.g. amqp://user:pass@127.0.0.1:5672/stitch"),
            login: environment.optional("STITCH_AMQP_LOGIN"))
        database = try DatabaseConfiguration(
            url: try environment.string(
                "STITCH_DATABASE_URL",
                help: "this service's database URL, e.g. postgres://stitch_\(service):pass@127.0.0.1:5432/stitch"),
            schema: try environment.string("STITCH_DB_SCHEMA", default: service),
            poolSize: try environment.int("STITCH_DB_POOL_SIZE", default: 10, range: 1...200),
            statementTimeoutSeconds: try environment.int("STITCH_DB_STATEMENT_TIMEOUT_SECONDS", default: 60, range: 0...86400))
        opsPort = try environment.int("STITCH_OPS_PORT", default: 0, range: 0...65535)
        prefetch = try environment.int("STITCH_PREFETCH", default: 32, range: 1...5000)
        eventBatch = try environment.int("STITCH_EVENT_BATCH", default: 32, range: 1...1000)
        eventLinger = .milliseconds(try environment.int("STITCH_EVENT_LINGER_MS", default: 5, range: 0...1000))
        commandBatch = try environment.int("STITCH_COMMAND_BATCH", default: 32, range: 1...1000)
        let level = try environment.string("STITCH_LOG_LEVEL", default: "info")
        guard let logLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw ConfigurationError("STITCH_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical; got \"\(level)\"")
        }
        self.logLevel = logLevel
        shutdownSeconds = try environment.int("STITCH_SHUTDOWN_SECONDS", default: 20, range: 1...600)
        loopStall = .seconds(try environment.int("STITCH_LOOP_STALL_SECONDS", default: 30, range: 5...3600))
        poisonDeliveries = try environment.int("STITCH_POISON_DELIVERIES", default: 5, range: 2...100)
    }

    /// `nodes` (comma separated URLs) with `login` (`user:password`, written as in a URL) given to each one that names no user.
    static func url(_ nodes: String, login: String?) -> String {
        guard let login else { return nodes }
        return nodes.split(separator: ",", omittingEmptySubsequences: false).map { node in
            guard let scheme = node.range(of: "://"), !node[scheme.upperBound...].prefix(while: { $0 != "/" }).contains("@") else {
                return String(node)
            }
            return "\(node[..<scheme.upperBound])\(login)@\(node[scheme.upperBound...])"
        }.joined(separator: ",")
    }
}
