import Testing

@testable import ServiceKit

/// Every metric name reaches Prometheus valid (no dots), and Hummingbird's HTTP metrics as ours.
@Suite struct MetricNameTests {
    @Test func hummingbirdsHTTPMetricsBecomeStitchHTTPMetrics() {
        let (name, labels) = Observability.prometheusName(
            "hb.requests", [("http.route", "/api/v1/production/spks"), ("http.request.method", "GET"), ("http.response.status_code", "200")])
        #expect(name == "stitch_http_requests_total")
        #expect(labels.map(\.0) == ["route", "method", "status"])
        #expect(Observability.prometheusName("http.server.request.duration", []).0 == "stitch_http_request_duration_seconds")
    }

    @Test func anyOtherNameLosesOnlyWhatPrometheusRefuses() {
        #expect(Observability.prometheusName("stitch_outbox_backlog", []).0 == "stitch_outbox_backlog")
        let (name, labels) = Observability.prometheusName("pg.pool-connections", [("pool.name", "x")])
        #expect(name == "pg_pool_connections" && labels.map(\.0) == ["pool_name"] && labels.map(\.1) == ["x"])
    }
}
