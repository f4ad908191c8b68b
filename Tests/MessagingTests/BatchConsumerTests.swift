import Contracts
import Foundation
import Logging
import Messaging
import Synchronization
import Testing

/// Batched consuming (`MessageConsumer.runBatched`) on the in-memory bus: batches form from what is
/// waiting, an outage retries the batch, and a message that can never succeed is split out and parked
/// alone while the rest of its batch is applied.
@Suite struct BatchConsumerTests {
    let logger = Logger(label: "test")

    /// What the handlers applied (message ids, in order) and the sizes of the batches they were given.
    final class Applied: Sendable {
        let state = Mutex<(ids: [String], batches: [Int])>(([], []))
        func batch(_ messages: [IncomingMessage]) {
            state.withLock {
                $0.ids += messages.compactMap(\.messageId)
                $0.batches.append(messages.count)
            }
        }
        func single(_ message: IncomingMessage) { state.withLock { $0.ids.append(message.messageId ?? "?") } }
        var ids: [String] { state.withLock { $0.ids } }
        var batches: [Int] { state.withLock { $0.batches } }
    }

    private func event(_ id: String) -> OutgoingMessage {
        OutgoingMessage(exchange: Topology.eventsExchange, routingKey: "a", body: [], messageId: id, mandatory: false)
    }

    private func consume(
        _ bus: InMemoryMessageBus, maxBatch: Int, prefetch: Int = 20,
        policy: RetryPolicy = RetryPolicy(
            maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(4)), linger: Duration = .zero,
        joins: @escaping @Sendable (IncomingMessage) -> Bool = { _ in true },
        batch: @escaping @Sendable ([IncomingMessage]) async throws -> Void,
        single: @escaping @Sendable (IncomingMessage) async throws -> Void
    ) -> Task<Void, any Error> {
        Task {
            try await MessageConsumer(bus: bus, queue: "svc.events", prefetch: prefetch, policy: policy, logger: logger)
                .runBatched(maxBatch: maxBatch, linger: linger, joins: joins, batch: batch, single: single)
        }
    }

    @Test("waiting messages are handled together, never more than the batch size, each acked once")
    func batchesFormFromWaitingMessages() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        for index in 0..<40 { try await bus.publish(event("m\(index)")) }
        let applied = Applied()
        let task = consume(
            bus, maxBatch: 8,
            batch: { messages in
                try await Task.sleep(for: .milliseconds(5))  // a transaction takes a while; more gather meanwhile
                applied.batch(messages)
            },
            single: { message in
                try await Task.sleep(for: .milliseconds(5))  // the first comes alone; the rest gather behind it
                applied.single(message)
            })
        #expect(await waitFor { applied.ids.count == 40 })
        #expect(Set(applied.ids).count == 40, "each message applied once")
        #expect(applied.batches.allSatisfy { $0 <= 8 })
        #expect(applied.batches.contains { $0 > 1 }, "some batches held several messages: \(applied.batches)")
        #expect(await waitFor { bus.depth(of: "svc.events") == 0 })
        task.cancel()
        _ = try? await task.value
    }

    @Test("with a linger, messages arriving a little apart are gathered into one batch")
    func lingerGathersABatch() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        let applied = Applied()
        let task = consume(
            bus, maxBatch: 16, prefetch: 30, linger: .seconds(1), batch: { applied.batch($0) },
            single: { applied.single($0) })
        try await bus.publish(event("m0"))
        try await Task.sleep(for: .milliseconds(50))
        for index in 1..<6 { try await bus.publish(event("m\(index)")) }
        #expect(await waitFor { applied.ids.count == 6 })
        #expect(applied.batches == [6], "the first waited for the five that came after it: \(applied.batches)")
        #expect(await waitFor { bus.depth(of: "svc.events") == 0 })
        task.cancel()
        _ = try? await task.value
    }

    @Test("messages that do not join are handled one by one beside the batches; every one acked once")
    func onlyJoiningMessagesAreBatched() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        for index in 0..<30 { try await bus.publish(event(index % 3 == 0 ? "alone\(index)" : "m\(index)")) }
        let applied = Applied()
        let batched = Mutex<[String]>([])
        let task = consume(
            bus, maxBatch: 8, prefetch: 30, joins: { !($0.messageId ?? "").hasPrefix("alone") },
            batch: { messages in
                try await Task.sleep(for: .milliseconds(5))
                batched.withLock { $0 += messages.compactMap(\.messageId) }
                applied.batch(messages)
            },
            single: { message in
                // A joining message handled alone came first; slowly, so the others gather into a batch.
                if message.messageId?.hasPrefix("m") == true { try await Task.sleep(for: .milliseconds(5)) }
                applied.single(message)
            })
        #expect(await waitFor { applied.ids.count == 30 })
        #expect(Set(applied.ids).count == 30, "each message applied once")
        #expect(!batched.withLock { $0 }.contains { $0.hasPrefix("alone") }, "no message that does not join was in a batch")
        #expect(applied.batches.contains { $0 > 1 }, "the others were batched: \(applied.batches)")
        #expect(await waitFor { bus.depth(of: "svc.events") == 0 }, "all acked")
        task.cancel()
        _ = try? await task.value
    }

    @Test("a message that fails deterministically inside a batch: the batch is handled one by one, only that one is parked")
    func poisonInABatchIsSplitOut() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        for index in 0..<12 { try await bus.publish(event(index == 5 ? "poison" : "m\(index)")) }
        let applied = Applied()
        let batchAttempts = Mutex(0)
        let task = consume(
            bus, maxBatch: 16,
            batch: { messages in
                batchAttempts.withLock { $0 += 1 }
                // One transaction: a bad message rolls back the whole batch (nothing recorded).
                if messages.contains(where: { $0.messageId == "poison" }) { throw PermanentFailure("cannot decode poison") }
                applied.batch(messages)
            },
            single: { message in
                if message.messageId == "poison" { throw PermanentFailure("cannot decode poison") }
                try await Task.sleep(for: .milliseconds(5))
                applied.single(message)
            })
        #expect(await waitFor { batchAttempts.withLock { $0 } >= 1 }, "the poison was in a batch first")
        #expect(await waitFor { bus.depth(of: "svc.events.dead") == 1 })
        #expect(await waitFor { applied.ids.count == 11 })
        #expect(Set(applied.ids) == Set((0..<12).filter { $0 != 5 }.map { "m\($0)" }), "every good message applied, once")
        #expect(applied.ids.count == 11)
        #expect(await waitFor { bus.depth(of: "svc.events") == 0 })
        task.cancel()
        _ = try? await task.value
    }

    @Test("an outage fails the whole batch: it is retried together until it passes, and nothing is parked")
    func outageRetriesTheBatch() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        for index in 0..<10 { try await bus.publish(event("m\(index)")) }
        let applied = Applied()
        let attempts = Mutex(0)
        let singles = Mutex(0)
        let task = consume(
            bus, maxBatch: 16,
            batch: { messages in
                let attempt = attempts.withLock {
                    $0 += 1
                    return $0
                }
                if attempt < 8 { throw MessagingError.connectionLost("database restarting") }
                applied.batch(messages)
            },
            single: { message in
                // The first message comes alone and is handled on its own; slowly, so the others gather into a batch.
                singles.withLock { $0 += 1 }
                try await Task.sleep(for: .milliseconds(50))
                applied.single(message)
            })
        #expect(await waitFor { applied.ids.count == 10 })
        #expect(Set(applied.ids).count == 10)
        #expect(bus.depth(of: "svc.events.dead") == 0)
        #expect(attempts.withLock { $0 } >= 8, "retried through the outage (maxAttempts 3 is for unknown failures only)")
        task.cancel()
        _ = try? await task.value
    }

    @Test("an unknown failure in a batch is retried message by message, so a bug in one message parks only it")
    func unknownFailureSplitsTheBatch() async throws {
        struct Bug: Error {}
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        for index in 0..<6 { try await bus.publish(event(index == 2 ? "buggy" : "m\(index)")) }
        let applied = Applied()
        let buggyAttempts = Mutex(0)
        let task = consume(
            bus, maxBatch: 16,
            batch: { messages in
                if messages.contains(where: { $0.messageId == "buggy" }) { throw Bug() }
                applied.batch(messages)
            },
            single: { message in
                if message.messageId == "buggy" {
                    buggyAttempts.withLock { $0 += 1 }
                    throw Bug()
                }
                applied.single(message)
            })
        #expect(await waitFor { bus.depth(of: "svc.events.dead") == 1 })
        #expect(await waitFor { applied.ids.count == 5 })
        #expect(Set(applied.ids).count == 5)
        #expect(buggyAttempts.withLock { $0 } == 3, "the single path's retry budget (maxAttempts) applies to it alone")
        task.cancel()
        _ = try? await task.value
    }

    @Test("a crash-looping message never joins a batch: it is parked unhandled")
    func crashLoopingMessageIsParkedNotBatched() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        try await bus.publish(event("crasher"))
        for round in 1...3 {
            let held = Mutex(0)
            let crashing = Task { try await bus.consume(queue: "svc.events", prefetch: 1) { _ in held.withLock { $0 += 1 } } }
            #expect(await waitFor { held.withLock { $0 } == 1 }, "round \(round)")
            crashing.cancel()
            _ = try? await crashing.value
        }
        for index in 0..<5 { try await bus.publish(event("m\(index)")) }
        let applied = Applied()
        let task = consume(
            bus, maxBatch: 16, policy: RetryPolicy(poisonDeliveries: 3), batch: { applied.batch($0) },
            single: { applied.single($0) })
        #expect(await waitFor { bus.depth(of: "svc.events.dead") == 1 })
        #expect(await waitFor { applied.ids.count == 5 })
        #expect(!applied.ids.contains("crasher"))
        task.cancel()
        _ = try? await task.value
    }
}
