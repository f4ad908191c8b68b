import Logging
import PostgresNIO
import Synchronization

/// Database access that cannot hang. PostgresNIO 1.33 writes a query to a connection's channel
/// without a promise; once the channel has closed (the server restarted under it, mid-transaction
/// or just before the lease) the write fails silently and the query's await never returns — seen
/// here as an outbox relay and consumers frozen for good after `pg_ctl stop -m immediate`, deaf
/// even to SIGTERM, because that await ignores cancellation. So every use of the database in
/// Stitch goes through these: the work runs in a task of its own, and the caller stops waiting
/// for it as soon as its connection closes (a transient `DatabaseConnectionClosed`, retried like
/// any outage) or its deadline passes. The abandoned await holds nothing but a closed connection.
extension PostgresClient {
    /// `withTransaction`, bounded: gives up when the connection closes under it or after `deadline`
    /// (lease included). Commit or rollback happen as in `withTransaction`; a caller that got
    /// `DatabaseConnectionClosed` does not know whether a COMMIT in flight landed, so what it
    /// does must be safe to repeat — which the inbox and idempotency keys make it.
    public func transaction<T: Sendable>(
        logger: Logger, deadline: Duration = .seconds(90),
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection(deadline: deadline) { connection in
            try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// One statement on a leased connection, its rows collected; bounded like `transaction`.
    @discardableResult
    public func rows(_ query: PostgresQuery, logger: Logger, deadline: Duration = .seconds(90)) async throws -> [PostgresRow] {
        try await connection(deadline: deadline) { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }

    /// A leased connection for `body`, bounded like `transaction`.
    ///
    /// The work (lease included) runs in a task of its own; the caller waits for the first of: the work's
    /// outcome, its connection closing, its deadline, its own cancellation. The connection and the
    /// deadline are looked at by one watcher thread for every call in the process (`DatabaseWatch`), not
    /// by a task group and timer tasks per call: under load those thread wake-ups showed in profiles.
    public func connection<T: Sendable>(
        deadline: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        outcome.deadline = (.now + deadline, DeadlineExceeded("database work", after: deadline))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.arm(continuation)
                outcome.watch()
                outcome.work = Task {
                    do {
                        let value = try await self.withConnection { connection in
                            outcome.connection = connection
                            if connection.isClosed { throw DatabaseConnectionClosed() }
                            return try await body(connection)
                        }
                        outcome.finish(.success(value))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                }
            }
        } onCancel: {
            outcome.work?.cancel()
            outcome.finish(.failure(CancellationError()))
        }
    }
}

/// The connection closed while work on it was awaited: an outage (transient), retried.
public struct DatabaseConnectionClosed: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "the database connection closed while a statement was in flight" }
}

extension PostgresConnection {
    /// Runs `operation` in a task of its own and waits for it — or, once this connection has
    /// closed, stops waiting and throws `DatabaseConnectionClosed`. Cancelling the caller cancels
    /// the operation and stops waiting too.
    public func untilClosed<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        if isClosed { throw DatabaseConnectionClosed() }
        let outcome = Outcome<T>()
        outcome.connection = self
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.arm(continuation)
                outcome.watch()  // the channel is looked at now and then while the work runs
                outcome.work = Task {
                    do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
                }
            }
        } onCancel: {
            outcome.work?.cancel()
            outcome.finish(.failure(CancellationError()))
        }
    }
}

/// The one resumption of a continuation that several parties race to resume: the work, the caller's
/// cancellation, and `DatabaseWatch` (the connection closed, the deadline passed).
private final class Outcome<T: Sendable>: WatchedCall {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var finished = false
        var work: Task<Void, Never>?
        var connection: PostgresConnection?
        var deadline: (at: ContinuousClock.Instant, error: DeadlineExceeded)?
    }

    private let state = Mutex(State())

    var work: Task<Void, Never>? {
        get { state.withLock { $0.work } }
        set { state.withLock { $0.work = newValue } }
    }

    /// The connection the work runs on, once leased: watched for closing.
    var connection: PostgresConnection? {
        get { state.withLock { $0.connection } }
        set { state.withLock { $0.connection = newValue } }
    }

    var deadline: (at: ContinuousClock.Instant, error: DeadlineExceeded)? {
        get { state.withLock { $0.deadline } }
        set { state.withLock { $0.deadline = newValue } }
    }

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Hands the call to `DatabaseWatch` until it finishes (under the lock, so a call finished meanwhile stays out).
    func watch() {
        state.withLock { state in
            if !state.finished { DatabaseWatch.shared.add(self) }
        }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, first) = state.withLock { state -> (CheckedContinuation<T, any Error>?, Bool) in
            guard !state.finished else { return (nil, false) }
            state.finished = true
            guard let continuation = state.continuation else {
                state.early = result  // cancelled before the continuation existed
                return (nil, true)
            }
            state.continuation = nil
            return (continuation, true)
        }
        if first { DatabaseWatch.shared.remove(self) }
        continuation?.resume(with: result)
    }

    func check(now: ContinuousClock.Instant) {
        let (connection, deadline, work) = state.withLock { ($0.connection, $0.deadline, $0.work) }
        let failure: (any Error)? =
            if connection?.isClosed == true {
                DatabaseConnectionClosed()
            } else if let deadline, now >= deadline.at {
                deadline.error
            } else {
                nil
            }
        guard let failure else { return }
        finish(.failure(failure))
        work?.cancel()
    }
}
