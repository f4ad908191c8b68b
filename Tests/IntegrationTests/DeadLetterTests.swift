import Contracts
import Foundation
import Messaging
import ServiceKit
import Synchronization
import Testing

@Suite("Parked messages over RabbitMQ")
struct DeadLetterTests {
    @Test("a deterministic failure is parked with its reason, listed, and replayed into the queue it failed in")
    func parkListReplay() async throws {
        try await withBus { bus in
            let queue = uniqueName("q.park")
            let key = "test.\(queue)"
            try await bus.declare(.eventQueue(queue, patterns: [key]))
            let fixed = Mutex(false)
            let handled = Collector()
            let consumer = MessageConsumer(bus: bus, queue: queue, prefetch: 10, logger: TestEnvironment.logger)
            let running = Task {
                try await consumer.run { message in
                    guard fixed.withLock({ $0 }) else { throw PermanentFailure("cannot read this message") }
                    handled.add(message)
                }
            }
            defer { running.cancel() }
            try await bus.publish(
                OutgoingMessage(
                    exchange: Topology.eventsExchange, routingKey: key, body: Array("x".utf8),
                    messageId: "parked-1", type: "test.thing.v1"))
            let letters = DeadLetters(bus: bus, queues: ["\(queue).dead"])
            #expect(await eventually { (try? await letters.list().count) == 1 })
            let listed = try await letters.list()
            #expect(listed.first?.message.messageId == "parked-1")
            #expect(listed.first?.reason.contains("cannot read this message") == true)
            #expect(try await letters.list().count == 1, "listing leaves it parked")

            fixed.withLock { $0 = true }  // the bug is fixed; the message can be handled now
            let replayed = try await letters.replay("parked-1")
            #expect(replayed.count == 1)
            #expect(await eventually { handled.ids == ["parked-1"] })
            #expect(try await bus.messageCount(queue: "\(queue).dead") == 0)
        }
    }
}
