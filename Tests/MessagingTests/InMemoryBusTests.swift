import Contracts
import Foundation
import Logging
import Messaging
import Synchronization
import Testing

final class Received: Sendable {
    let items = Mutex<[IncomingMessage]>([])
    func add(_ message: IncomingMessage) { items.withLock { $0.append(message) } }
    var count: Int { items.withLock { $0.count } }
}

func waitFor(_ condition: @Sendable () -> Bool) async -> Bool {
    for _ in 0..<400 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

@Suite struct InMemoryBusTests {
    let logger = Logger(label: "test")

    @Test func routesTopicEventsToEverySubscribedQueue() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("ppic.events", patterns: ["production.#"]))
        try await bus.declare(.eventQueue("approval.events", patterns: ["production.spk.*.v1"]))
        try await bus.publish(
            OutgoingMessage(
                exchange: Topology.eventsExchange, routingKey: "production.spk.created.v1",
                body: [], messageId: "1", mandatory: false))
        try await bus.publish(
            OutgoingMessage(
                exchange: Topology.eventsExchange, routingKey: "production.daily-input.recorded.v1",
                body: [], messageId: "2", mandatory: false))
        #expect(bus.depth(of: "ppic.events") == 2)
        #expect(bus.depth(of: "approval.events") == 1)
    }

    @Test func mandatoryWithoutQueueIsUnroutable() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.base)
        await #expect(throws: MessagingError.self) {
            try await bus.publish(OutgoingMessage(exchange: Topology.commandsExchange, routingKey: "x", body: [], messageId: "1"))
        }
    }

    @Test func requestReplyAndTimeout() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.commandQueue("svc.commands", types: ["svc.echo.v1"]))
        let server = Task {
            try await bus.consume(queue: "svc.commands", prefetch: 4) { delivery in
                if let reply = OutgoingMessage.reply(to: delivery.message, body: delivery.message.body.reversed()) {
                    try? await bus.publish(reply)
                }
                delivery.ack()
            }
        }
        let reply = try await bus.request(
            OutgoingMessage(
                exchange: Topology.commandsExchange, routingKey: "svc.echo.v1",
                body: Array("abc".utf8), messageId: "r1"), timeout: .seconds(30))
        #expect(reply.body == Array("cba".utf8))
        server.cancel()
        _ = try? await server.value

        try await bus.declare(.commandQueue("mute.commands", types: ["mute.v1"]))
        await #expect(throws: MessagingError.self) {
            _ = try await bus.request(
                OutgoingMessage(
                    exchange: Topology.commandsExchange, routingKey: "mute.v1", body: [],
                    messageId: "r2"), timeout: .milliseconds(50))
        }
    }

    @Test func failingHandlerIsRetriedThenParkedWithReason() async throws {
        let bus = InMemoryMessageBus()
        try await bus.declare(.eventQueue("svc.events", patterns: ["#"]))
        let attempts = Mutex(0)
        let ok = Received()
        let consumer = MessageConsumer(
            bus: bus, queue: "svc.events", prefetch: 5,
            policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
            logger: logger)
        let task = Task {
            try await consumer.run { message in
                if message.messageId == "bad" {
                    attempts.withLock { $0 += 1 }
                    throw TestError()
                }
                ok.add(message)
            }
        }
        try await bus.publish([
            OutgoingMessage(exchange: Topology.eventsExchange, routingKey: "a", body: [], messageId: "bad", mandatory: false),
            OutgoingMessage(exchange: Topology.eventsExchange, routingKey: "a", body: [], messageId: "good", mandatory: false),
        ])
        #expect(await waitFor { bus.depth(of: "svc.events.dead") == 1 && ok.count == 1 })
        #expect(attempts.withLock { $0 } == 3)
        #expect(bus.depth(of: "svc.events") == 0)
        task.cancel()
        _ = try? await task.value

        let dead = Received()
        let reader = Task {
            try await bus.consume(queue: "svc.events.dead", prefetch: 1) {
                dead.add($0.message)
                $0.ack()
            }
        }
        #expect(await waitFor { dead.count == 1 })
        reader.cancel()
        let letter = try #require(dead.items.withLock { $0.first })
        #expect(letter.headers["x-stitch-error"] == "TestError()")
        #expect(letter.headers["x-stitch-attempts"] == "3")
    }

    @Test func typedSendMapsFailuresToErrorReplies() async throws {
        struct Ping: Query {
            static let messageType = "svc.ping.v1"
            static let owner = ServiceName.ppic
            typealias Reply = Accepted
        }
        let bus = InMemoryMessageBus()
        try await bus.declare(.base)
        await #expect {
            _ = try await bus.send(Envelope(Ping(), actor: nil), timeout: .milliseconds(50))
        } throws: { ($0 as? ErrorReply)?.code == .unavailable }
        try await bus.declare(.commandQueue("ppic.commands", types: [Ping.messageType]))
        await #expect {
            _ = try await bus.send(Envelope(Ping(), actor: nil), timeout: .milliseconds(50))
        } throws: { ($0 as? ErrorReply)?.code == .timeout }
    }
}

struct TestError: Error {}
