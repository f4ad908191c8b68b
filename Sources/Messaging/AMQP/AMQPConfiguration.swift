import Foundation

/// Where and how to reach the broker, from an `amqp://` or `amqps://` URL:
/// `amqp[s]://user:password@host:port/vhost?heartbeat=10&connect_timeout=5&verify=true&cacert=/path`.
public struct AMQPConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    public var vhost: String
    public var tls: Bool
    /// With TLS: verify the broker's certificate and host name (default on).
    public var verifyPeer: Bool
    public var caCertificatePath: String?
    /// Seconds; librabbitmq services heartbeats only inside its calls, so the connection thread
    /// polls at most every second.
    public var heartbeat: Int
    public var connectTimeout: Duration

    public init(url: String) throws(MessagingError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "amqp" || scheme == "amqps"
        else { throw .invalidConfiguration("expected an amqp:// or amqps:// URL, got \(Self.redacted(url))") }
        tls = scheme == "amqps"
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = components.port ?? (tls ? 5671 : 5672)
        username = components.user?.removingPercentEncoding ?? "guest"
        password = components.password?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        vhost = path.isEmpty || path == "/" ? "/" : String(path.dropFirst()).removingPercentEncoding ?? "/"
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        heartbeat = 10
        connectTimeout = .seconds(5)
        verifyPeer = true
        caCertificatePath = query["cacert"]
        if let value = query["heartbeat"] {
            guard let seconds = Int(value), seconds >= 0 else { throw .invalidConfiguration("heartbeat must be whole seconds ≥ 0") }
            heartbeat = seconds
        }
        if let value = query["connect_timeout"] {
            guard let seconds = Int(value), seconds > 0 else { throw .invalidConfiguration("connect_timeout must be whole seconds > 0") }
            connectTimeout = .seconds(seconds)
        }
        if let value = query["verify"] { verifyPeer = !(value == "false" || value == "0") }
    }

    /// For logs: never the password.
    public var description: String { "\(tls ? "amqps" : "amqp")://\(username)@\(host):\(port)/\(vhost)" }

    static func redacted(_ url: String) -> String {
        url.replacing(/:[^:@\/]*@/, with: ":***@")
    }
}
