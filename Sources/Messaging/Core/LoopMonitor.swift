import Foundation
import Metrics
import Synchronization

/// Watches a service's long-running loops (outbox relay, consumers, broker connection threads,
/// housekeeping, timers). Each loop beats when it makes progress or finds nothing to do; a loop
/// whose last beat is older than its allowance is stalled — it shows in `/ready` (not ready) and
/// in `stitch_loop_last_progress_seconds{loop}` (the Unix time of its last beat), so a loop that
/// silently stopped is seen, not discovered a shift later.
public final class LoopMonitor: Sendable {
    private struct Entry {
        var lastBeat: ContinuousClock.Instant
        var lastRecorded: ContinuousClock.Instant?
        var allowance: Duration
        var busy: @Sendable () -> Bool
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// The default allowance: how long a loop may go without a beat (`STITCH_LOOP_STALL_SECONDS`).
    public let allowance: Duration

    public init(allowance: Duration = .seconds(30)) {
        self.allowance = allowance
    }

    /// Starts watching `name`. `allowance` defaults to the monitor's; a loop that sleeps longer
    /// between runs (housekeeping) passes its interval plus a margin. `busy` says whether it has
    /// work right now: a loop that has nothing to do is not stalled however long it waits.
    public func register(
        _ name: String, allowance: Duration? = nil,
        busy: @escaping @Sendable () -> Bool = { true }
    ) -> LoopHeartbeat {
        entries.withLock {
            $0[name] = Entry(lastBeat: .now, allowance: allowance ?? self.allowance, busy: busy)
        }
        let heartbeat = LoopHeartbeat(monitor: self, name: name)
        heartbeat.beat()
        return heartbeat
    }

    /// Stops watching `name` (a loop that ended on purpose, at shutdown).
    public func unregister(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }

    /// Records the beat; true when the gauge is due (at most once a second: beats come from hot loops).
    fileprivate func beat(_ name: String) -> Bool {
        let now = ContinuousClock.now
        return entries.withLock { entries -> Bool in
            guard var entry = entries[name] else { return false }
            entry.lastBeat = now
            let due = entry.lastRecorded.map { $0.duration(to: now) >= .seconds(1) } ?? true
            if due { entry.lastRecorded = now }
            entries[name] = entry
            return due
        }
    }

    /// The loops that are stalled now, with how long since their last beat.
    public func stalled() -> [(name: String, since: Duration)] {
        let now = ContinuousClock.now
        let snapshot = entries.withLock { $0 }
        return snapshot.compactMap { name, entry in
            let since = entry.lastBeat.duration(to: now)
            return since > entry.allowance && entry.busy() ? (name, since) : nil
        }.sorted { $0.name < $1.name }
    }

    /// Every watched loop's name, for readiness output.
    public var names: [String] { entries.withLock { $0.keys.sorted() } }
}

/// What a loop holds to say "still alive".
public struct LoopHeartbeat: Sendable {
    let monitor: LoopMonitor?
    public let name: String

    /// A heartbeat that reports nowhere (tools, tests).
    public static let none = LoopHeartbeat(monitor: nil, name: "-")

    public func beat() {
        guard let monitor, monitor.beat(name) else { return }
        Gauge(label: "stitch_loop_last_progress_seconds", dimensions: [("loop", name)])
            .record(Date().timeIntervalSince1970)
    }
}
