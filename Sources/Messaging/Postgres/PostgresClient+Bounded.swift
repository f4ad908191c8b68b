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
    public func connection<T: Sendable>(
        deadline: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withDeadline("database work", after: deadline) {
            try await self.withConnection { connection in
                try await connection.untilClosed { try await body(connection) }
            }
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
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.arm(continuation)
                outcome.work = Task {
                    do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
                }
                // Look at the channel now and then while the work runs; normally it is done long before.
                let connection = self
                Task {
                    var pause: Duration = .milliseconds(100)
                    while !outcome.isFinished {
                        try? await Task.sleep(for: pause)
                        if connection.isClosed {
                            outcome.finish(.failure(DatabaseConnectionClosed()))
                            outcome.work?.cancel()
                            return
                        }
                        pause = min(pause * 2, .seconds(1))
                    }
                }
            }
        } onCancel: {
            outcome.work?.cancel()
            outcome.finish(.failure(CancellationError()))
        }
    }
}

/// The one resumption of a continuation that several parties race to resume.
private final class Outcome<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, early: Result<T, any Error>?, finished: Bool,
                               work: Task<Void, Never>?)>((nil, nil, false, nil))

    var isFinished: Bool { state.withLock { $0.finished } }

    var work: Task<Void, Never>? {
        get { state.withLock { $0.work } }
        set { state.withLock { $0.work = newValue } }
    }

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            guard let continuation = state.continuation else {
                state.early = result  // cancelled before the continuation existed
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(with: result)
    }
}
