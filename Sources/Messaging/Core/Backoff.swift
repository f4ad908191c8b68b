/// The one retry pause of Stitch: grows exponentially from `base` to `cap`, with "equal jitter"
/// (half the pause fixed, half random), so that instances retrying the same outage do not all
/// knock on the broker or database at the same moment. Every retry loop uses it.
public struct Backoff: Sendable {
    public var base: Duration
    public var cap: Duration
    private var attempt = 0

    public init(base: Duration = .milliseconds(100), cap: Duration = .seconds(5)) {
        self.base = base
        self.cap = cap
    }

    /// The pause before the next try; each call lengthens the following one.
    public mutating func next() -> Duration {
        let ceiling = min(base * (1 << min(attempt, 20)), cap)
        attempt += 1
        let half = ceiling / 2
        return half + half * Double.random(in: 0...1)
    }

    /// After a success: the next failure starts over from `base`.
    public mutating func reset() { attempt = 0 }

    /// How many pauses were handed out since the last reset.
    public var attempts: Int { attempt }

    /// Sleeps for the next pause; false if the task was cancelled meanwhile.
    public mutating func pause() async -> Bool {
        do {
            try await Task.sleep(for: next())
            return true
        } catch {
            return false
        }
    }
}
