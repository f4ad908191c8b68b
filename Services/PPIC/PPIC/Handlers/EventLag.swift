import Foundation
import Metrics

/// How far PPIC's read model trails the events it follows, on `/metrics`: the seconds between an
/// applied event's `occurred_at` and its processing, and when the newest applied event occurred.
/// (Gauges are looked up per event, not kept: one made before metrics were bootstrapped would stay a no-op.)
enum EventLag {
    static func applied(occurredAt: Date, now: Date = Date()) {
        Gauge(label: "ppic_event_lag_seconds").record(max(0, now.timeIntervalSince(occurredAt)))
        Gauge(label: "ppic_last_applied_event_timestamp_seconds").record(occurredAt.timeIntervalSince1970)
    }
}
