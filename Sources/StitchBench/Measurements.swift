import Foundation

/// Latency samples and their percentiles.
struct Latencies {
    private(set) var samples: [Duration] = []

    mutating func record(_ duration: Duration) { samples.append(duration) }

    func percentile(_ p: Double) -> Duration {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: String { String(format: "%.2f ms", seconds * 1000) }
}

func rate(_ count: Int, _ elapsed: Duration) -> String {
    String(format: "%8.0f msg/s", Double(count) / max(elapsed.seconds, 1e-9))
}

func report(_ label: String, _ value: String) {
    print("  \(label.padding(toLength: 58, withPad: " ", startingAt: 0)) \(value)")
}
