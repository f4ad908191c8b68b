import Foundation
import Hummingbird
import Logging

/// `/health` (the process is alive), `/ready` (its dependencies answer) and `/metrics`
/// (Prometheus) for a service that has no HTTP API of its own.
public enum OpsServer {
    public typealias ReadinessCheck = @Sendable () async -> [String: Bool]

    public static func routes<Context: RequestContext>(into router: Router<Context>, readiness: @escaping ReadinessCheck) {
        router.get("health") { _, _ in "ok\n" }
        router.get("ready") { _, _ -> Response in
            let checks = await readiness()
            let ready = checks.values.allSatisfy { $0 }
            let body = checks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value ? "up" : "down")" }.joined(separator: "\n")
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: body + "\n")))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: Observability.exposition())))
        }
    }

    /// Where ops endpoints listen unless told otherwise: `STITCH_OPS_HOST`, else loopback only — a
    /// scraper on another host is configured on purpose, never exposed by default.
    public static var defaultHost: String {
        ProcessInfo.processInfo.environment["STITCH_OPS_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
    }

    public static func application(
        host: String = defaultHost, port: Int, logger: Logger,
        readiness: @escaping ReadinessCheck
    ) -> some ApplicationProtocol {
        let router = Router()
        routes(into: router, readiness: readiness)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }
}
