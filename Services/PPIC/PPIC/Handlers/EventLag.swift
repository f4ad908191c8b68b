import Foundation
import Metrics

/// How far PPIC's read model trails the events it follows, on `/metrics`: the seconds between an
/// applied event's `occurred_at` and its processing, and when the newest applied event occurred.
enum EventLag {
    private static let lag = Gauge(label: "ppic_event_lag_seconds")
    private static let lastEvent = Gauge(label: "ppic_last_applied_event_timestamp_seconds")

    static func applied(occurredAt: Date, now: Date = Date()) {
        lag.record(max(0, now.timeIntervalSince(occurredAt)))
        lastEvent.record(occurredAt.timeIntervalSince1970)
    }
}
