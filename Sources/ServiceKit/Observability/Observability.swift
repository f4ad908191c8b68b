import Logging
import Metrics
import Prometheus
import Synchronization

/// Process-wide logging and metrics set-up: structured logs on stderr at the configured level,
/// metrics collected into one Prometheus registry served on `/metrics`.
public enum Observability {
    private static let registry = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Idempotent: the first call bootstraps swift-log and swift-metrics, later calls return the registry.
    @discardableResult
    public static func bootstrap(level: Logger.Level) -> PrometheusCollectorRegistry {
        registry.withLock { existing in
            if let existing { return existing }
            let created = PrometheusCollectorRegistry()
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var factory = PrometheusMetricsFactory(registry: created)
            factory.nameAndLabelSanitizer = Self.prometheusName
            MetricsSystem.bootstrap(factory)
            existing = created
            return created
        }
    }

    /// The Prometheus text exposition of every metric of this process.
    public static func exposition() -> String {
        guard let registry = registry.withLock({ $0 }) else { return "" }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Names from other packages made valid for Prometheus (no dots) and ours: Hummingbird's
    /// `MetricsMiddleware` reports as `stitch_http_*`, with `route`, `method` and `status` labels.
    @Sendable static func prometheusName(_ name: String, _ labels: [(String, String)]) -> (String, [(String, String)]) {
        // Called each time a metric handle is made, which some code does per message: names that are
        // already valid (all of Stitch's own) pass through unchanged, without a rebuild.
        (renamed[name] ?? valid(name), labels.map { (labelNames[$0.0] ?? valid($0.0), $0.1) })
    }

    private static let renamed = [
        "hb.requests": "stitch_http_requests_total",
        "hb.request.errors": "stitch_http_request_errors_total",
        "http.server.request.duration": "stitch_http_request_duration_seconds",
        "http.server.active_requests": "stitch_http_active_requests",
    ]
    private static let labelNames = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status",
        "error.type": "status",
    ]

    private static func valid(_ text: String) -> String {
        func allowed(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F
        }
        if text.utf8.allSatisfy(allowed) { return text }
        return String(text.unicodeScalars.map { $0.isASCII && allowed(UInt8($0.value)) ? Character($0) : "_" })
    }
}
