/// Runs `operation`, cancelling it if it has not finished within `after`, and then throws
/// `DeadlineExceeded` (transient). Every await on the network that has no deadline of its own goes
/// through this (docs/architecture.md, rule 7). The operation must honour cancellation, as
/// PostgresNIO's connection leases and Stitch's AMQP operations do.
public func withDeadline<T: Sendable>(
    _ what: String, after limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw DeadlineExceeded(what, after: limit)
        }
        return value
    }
}
