import Logging

/// Work done every `interval` until the task is cancelled — housekeeping, sweeps, calendars. It beats
/// its heartbeat after each success (a loop that stops succeeding shows in `/ready`), and after a
/// failure tries again sooner, with jittered backoff up to a minute (or `interval`, if shorter).
public struct PeriodicLoop: Sendable {
    public let name: String
    public let interval: Duration
    /// How long without a success counts as stalled; default twice the interval plus two minutes.
    public let allowance: Duration

    public init(_ name: String, every interval: Duration, allowance: Duration? = nil) {
        self.name = name
        self.interval = interval
        self.allowance = allowance ?? interval * 2 + .seconds(120)
    }

    public func run(monitor: LoopMonitor?, logger: Logger, _ work: @Sendable () async throws -> Void) async {
        let heartbeat = monitor?.register(name, allowance: allowance) ?? .none
        var backoff = Backoff(base: .seconds(1), cap: min(interval, .seconds(60)))
        while !Task.isCancelled {
            var pause = interval
            do {
                try await work()
                heartbeat.beat()
                backoff.reset()
            } catch {
                if Task.isCancelled { return }
                pause = backoff.next()
                logger.warning("\(name) failed, will try again in \(pause): \(error)")
            }
            do { try await Task.sleep(for: pause) } catch { return }
        }
    }
}
