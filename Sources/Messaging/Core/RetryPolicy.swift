/// How a consumer treats a failing handler, by the kind of failure (`FailureKind`):
/// - transient (an outage): retried in place with jittered backoff for as long as it lasts; the
///   message stays with this consumer, so the broker's delivery count does not move;
/// - deterministic: parked in `<queue>.dead` at once, with the reason;
/// - unknown: retried `maxAttempts` times in all, then parked.
/// A message the broker has already delivered `poisonDeliveries` times without anyone settling it
/// has crashed (or hung) consumers that many times: it is parked before it is handled again, so no
/// message can keep a service in a crash loop. The broker's own delivery limit (higher) stays as
/// the last resort.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var poisonDeliveries: Int

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5),
        poisonDeliveries: Int = 5
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.poisonDeliveries = poisonDeliveries
    }

    var backoff: Backoff { Backoff(base: baseDelay, cap: maxDelay) }

    /// Whether a message whose handler failed this way, after this many attempts, is parked rather than retried.
    func parks(_ kind: FailureKind, attempts: Int) -> Bool {
        kind == .deterministic || (kind == .unknown && attempts >= maxAttempts)
    }

    /// The one retry loop of the consumers (a message, a batch, a dead letter's copy): runs `attempt`
    /// until it succeeds or `givesUp` on a failure, pausing with jittered backoff in between. A
    /// shutdown (the task cancelled) ends it too, so that the caller can put its messages back.
    func retry(
        givesUp: (FailureKind, _ attempts: Int) -> Bool, _ attempt: () async throws -> Void,
        willRetry: (RetriedFailure) -> Void
    ) async -> RetryOutcome {
        var backoff = backoff
        var attempts = 0
        while true {
            attempts += 1
            do {
                try await attempt()
                return .succeeded
            } catch {
                let kind = FailureKind(of: error)
                if givesUp(kind, attempts) { return .gaveUp(error, attempts: attempts) }
                if Task.isCancelled { return .interrupted }
                let pause = backoff.next()
                willRetry(RetriedFailure(error: error, kind: kind, attempts: attempts, pauses: backoff.attempts))
                do { try await Task.sleep(for: pause) } catch { return .interrupted }
            }
        }
    }
}

/// How `RetryPolicy.retry` ended.
enum RetryOutcome {
    case succeeded
    case gaveUp(any Error, attempts: Int)
    /// Shutting down before it succeeded: the messages go back to the queue for the next instance
    /// (the inbox makes a repeat harmless).
    case interrupted
}

/// A failure about to be retried, for the caller's log line and metric.
struct RetriedFailure {
    var error: any Error
    var kind: FailureKind
    var attempts: Int
    /// Pauses since the loop began, this one included.
    var pauses: Int

    /// An outage is waited out however long it lasts: say so now and then, not every time.
    var isWorthLogging: Bool { pauses == 1 || pauses % 20 == 0 }
}
