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
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: created))
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
}
