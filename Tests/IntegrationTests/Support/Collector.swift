import Messaging
import Synchronization

/// Collects what a test consumer received, safely from many handler tasks at once.
final class Collector: Sendable {
    private let state = Mutex<[IncomingMessage]>([])

    func add(_ message: IncomingMessage) { state.withLock { $0.append(message) } }
    var messages: [IncomingMessage] { state.withLock { $0 } }
    var count: Int { state.withLock { $0.count } }
    var ids: [String] { messages.compactMap(\.messageId) }
}

/// Runs a consumer in the background of `body`; stops it (letting in-flight handlers finish) afterwards.
func whileConsuming<T: Sendable>(
    _ bus: any MessageBus, queue: String, prefetch: Int = 50,
    handler: @escaping @Sendable (Delivery) async -> Void,
    _ body: @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await bus.consume(queue: queue, prefetch: prefetch, handler: handler)
            return nil
        }
        defer { group.cancelAll() }
        return try await body()
    }
}
