import Contracts
import Foundation
import Logging
import Messaging
import Synchronization
import Testing

/// How a consumer treats each kind of failure (docs/architecture.md, rule 5), on the in-memory bus.
@Suite struct FailureHandlingTests {
    let logger = Logger(label: "test")

    private func consume(
        _ bus: InMemoryMessageBus, policy: RetryPolicy,
        _ handler: @escaping @Sendable (IncomingMessage) async throws -> Void
    ) -> Task<Void, any Error> {
        Task { try await MessageConsumer(bus: bus, queue: "svc.events", prefetch: 5, policy: policy, logger: logger).run(handler) }
    }

    private func event(_ id: String) -> OutgoingMessage {
        OutgoingMessage(exchange: Topology.eventsExchange, routingKey: "a", body: [], messageId: id, mandatory: false)
    }

    @Test("an outage is waited out however many attempts it takes; it never parks the message")
    func transientFailuresAreRetriedUntilTheyPass() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        let attempts = Mutex(0)
        let done = Received()
        // maxAttempts 3 is for unknown failures: an outage of 12 attempts must still not park it.
        let task = consume(bus, policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(4))) { message in
            let attempt = attempts.withLock {
                $0 += 1
                return $0
            }
            if attempt < 12 { throw MessagingError.connectionLost("database restarting") }
            done.add(message)
        }
        try await bus.publish(event("m1"))
        #expect(await waitFor { done.count == 1 })
        #expect(attempts.withLock { $0 } == 12)
        #expect(bus.depth(of: "svc.events.dead") == 0)
        #expect(bus.depth(of: "svc.events") == 0)
        task.cancel()
        _ = try? await task.value
    }

    @Test("a deterministic failure is parked at once, without retries")
    func deterministicFailuresAreParkedAtOnce() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        let attempts = Mutex(0)
        let task = consume(bus, policy: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1), maxDelay: .milliseconds(4))) { _ in
            attempts.withLock { $0 += 1 }
            throw ErrorReply.validation([FieldError(field: "qty", message: "must be 1 or more")])
        }
        try await bus.publish(event("bad"))
        #expect(await waitFor { bus.depth(of: "svc.events.dead") == 1 })
        #expect(attempts.withLock { $0 } == 1)
        task.cancel()
        _ = try? await task.value
    }

    @Test("a message delivered again and again without a settle (it crashed its consumer) is parked unhandled")
    func crashLoopingMessageIsParkedBeforeItIsHandled() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        try await bus.publish(event("crasher"))
        // Four consumers take it and end without settling it, as crashing consumers would.
        for round in 1...4 {
            let held = Received()
            let crashing = Task { try await bus.consume(queue: "svc.events", prefetch: 1) { held.add($0.message) } }
            #expect(await waitFor { held.count == 1 }, "round \(round)")
            crashing.cancel()
            _ = try? await crashing.value
        }
        let handled = Mutex(0)
        let task = consume(bus, policy: RetryPolicy(poisonDeliveries: 3)) { _ in handled.withLock { $0 += 1 } }
        #expect(await waitFor { bus.depth(of: "svc.events.dead") == 1 })
        #expect(handled.withLock { $0 } == 0, "the handler never saw the crash-looping message")
        task.cancel()
        _ = try? await task.value
    }

    @Test("failure kinds by SQLSTATE: data errors are deterministic, a server starting up is an outage")
    func sqlStates() {
        #expect(FailureKind.of(sqlState: "22021") == .deterministic)  // NUL byte / bad encoding
        #expect(FailureKind.of(sqlState: "22003") == .deterministic)  // numeric value out of range
        #expect(FailureKind.of(sqlState: "23505") == .deterministic)
        #expect(FailureKind.of(sqlState: "57P03") == .transient)  // the database system is starting up
        #expect(FailureKind.of(sqlState: "57P01") == .transient)  // admin shutdown
        #expect(FailureKind.of(sqlState: "08006") == .transient)
        #expect(FailureKind.of(sqlState: "40P01") == .transient)  // deadlock: try again
        #expect(FailureKind(of: MessagingError.unavailable("gone")) == .transient)
        #expect(FailureKind(of: DatabaseConnectionClosed()) == .transient)
        #expect(FailureKind(of: DeadlineExceeded("x", after: .seconds(1))) == .transient)
        #expect(FailureKind(of: PermanentFailure("bad")) == .deterministic)
        #expect(FailureKind(of: ErrorReply(.notFound, "no")) == .deterministic)
        struct Odd: Error {}
        #expect(FailureKind(of: Odd()) == .unknown)
    }

    @Test("backoff grows to its cap, with jitter, and starts over after a reset")
    func backoff() {
        var backoff = Backoff(base: .milliseconds(100), cap: .seconds(2))
        let pauses = (0..<10).map { _ in backoff.next() }
        #expect(pauses.allSatisfy { $0 >= .milliseconds(50) && $0 <= .seconds(2) })
        #expect(pauses.last! >= .seconds(1), "capped pauses stay in the upper half of the cap")
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(100))
    }

    @Test("a loop that has work and no progress past its allowance is stalled; an idle one is not")
    func loopMonitor() async throws {
        let monitor = LoopMonitor(allowance: .milliseconds(50))
        let busy = Mutex(true)
        let beating = monitor.register("relay")
        _ = monitor.register("consumer", busy: { busy.withLock { $0 } })
        try await Task.sleep(for: .milliseconds(80))
        beating.beat()
        #expect(monitor.stalled().map(\.name) == ["consumer"])
        busy.withLock { $0 = false }
        #expect(monitor.stalled().isEmpty)
    }
}
