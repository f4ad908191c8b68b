import Contracts
import Foundation
import Messaging
import ServiceKit
import Testing

@Suite("Messaging over RabbitMQ")
struct MessagingIntegrationTests {
    @Test("published messages are confirmed and all consumed")
    func publishAndConsume() async throws {
        try await withBus { bus in
            let queue = uniqueName("q.publish")
            let key = "test.\(queue).done"
            try await bus.declare(.eventQueue(queue, patterns: ["test.\(queue).#"]))
            let sent = (0..<300).map { index in
                OutgoingMessage(
                    exchange: Topology.eventsExchange, routingKey: key, body: Array("{\"n\":\(index)}".utf8),
                    messageId: "m-\(index)", type: "test")
            }
            for batch in stride(from: 0, to: sent.count, by: 100) {
                try await bus.publish(Array(sent[batch..<batch + 100]))  // returns once confirmed
            }
            let received = Collector()
            let all = try await whileConsuming(
                bus, queue: queue,
                handler: { delivery in
                    received.add(delivery.message)
                    delivery.ack()
                }
            ) {
                await eventually { received.count >= sent.count }
            }
            #expect(all)
            #expect(Set(received.ids) == Set(sent.map(\.messageId)))
            #expect(received.count == sent.count)
            #expect(received.messages.first?.type == "test")
        }
    }

    @Test("a mandatory message that no queue takes is an error, not a silent drop")
    func unroutableIsAnError() async throws {
        try await withBus { bus in
            try await bus.declare(.base)
            let message = OutgoingMessage(
                exchange: Topology.commandsExchange, routingKey: uniqueName("nobody.handles"),
                body: Array("{}".utf8), messageId: UUID().uuidString, mandatory: true)
            await #expect(throws: MessagingError.self) { try await bus.publish(message) }
            // The connection is still usable afterwards.
            let queue = uniqueName("q.after")
            try await bus.declare(.commandQueue(queue, types: [queue]))
            try await bus.publish(
                OutgoingMessage(
                    exchange: Topology.commandsExchange, routingKey: queue,
                    body: Array("{}".utf8), messageId: UUID().uuidString))
        }
    }

    @Test("request and reply over direct reply-to")
    func requestReply() async throws {
        try await withBus(name: "server") { server in
            try await withBus(name: "client") { client in
                let queue = uniqueName("q.rpc")
                try await server.declare(.commandQueue(queue, types: [queue]))
                let answered = try await whileConsuming(
                    server, queue: queue,
                    handler: { delivery in
                        let text = String(decoding: delivery.message.body, as: UTF8.self)
                        if let reply = OutgoingMessage.reply(to: delivery.message, body: Array("echo:\(text)".utf8)) {
                            try? await server.publish(reply)
                        }
                        delivery.ack()
                    }
                ) {
                    try await withThrowingTaskGroup(of: (Int, String).self) { group in
                        for index in 0..<20 {
                            group.addTask {
                                let reply = try await client.request(
                                    OutgoingMessage(
                                        exchange: Topology.commandsExchange, routingKey: queue,
                                        body: Array("\(index)".utf8), messageId: UUID().uuidString),
                                    timeout: .seconds(10))
                                return (index, String(decoding: reply.body, as: UTF8.self))
                            }
                        }
                        return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                    }
                }
                #expect(answered.count == 20)
                for (index, text) in answered { #expect(text == "echo:\(index)") }  // each reply to its own request
            }
        }
    }

    @Test("a request nobody answers times out")
    func requestTimesOut() async throws {
        try await withBus { bus in
            let queue = uniqueName("q.silent")
            try await bus.declare(.commandQueue(queue, types: [queue]))
            let started = ContinuousClock.now
            await #expect {
                _ = try await bus.request(
                    OutgoingMessage(
                        exchange: Topology.commandsExchange, routingKey: queue,
                        body: Array("{}".utf8), messageId: UUID().uuidString),
                    timeout: .milliseconds(400))
            } throws: { error in
                guard case MessagingError.timeout = error else { return false }
                return true
            }
            let waited = started.duration(to: .now)
            #expect(waited >= .milliseconds(380) && waited < .seconds(5))
        }
    }

    @Test("a request to a type no service handles fails at once as unavailable")
    func requestWithoutOwnerFails() async throws {
        try await withBus { bus in
            try await bus.declare(.base)
            await #expect {
                _ = try await bus.send(Envelope(NobodyHandles(), actor: .system("test")), timeout: .seconds(10))
            } throws: { error in
                (error as? ErrorReply)?.code == .unavailable
            }
        }
    }

    @Test("a poison message is parked in <queue>.dead with its reason while the rest keeps flowing")
    func poisonMessageIsDeadLettered() async throws {
        try await withBus { bus in
            let queue = uniqueName("q.poison")
            let key = "test.\(queue)"
            try await bus.declare(.eventQueue(queue, patterns: [key]))
            let processed = Collector()
            let consumer = MessageConsumer(
                bus: bus, queue: queue, prefetch: 10,
                policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
                logger: TestEnvironment.logger)
            var messages = [
                OutgoingMessage(
                    exchange: Topology.eventsExchange, routingKey: key, body: Array("poison".utf8),
                    messageId: "poison")
            ]
            messages += (0..<50).map {
                OutgoingMessage(exchange: Topology.eventsExchange, routingKey: key, body: Array("ok".utf8), messageId: "ok-\($0)")
            }
            try await bus.publish(messages)
            let dead = Collector()
            let settled = try await whileConsuming(
                bus, queue: "\(queue).dead",
                handler: { delivery in
                    dead.add(delivery.message)
                    delivery.ack()
                }
            ) {
                await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        try await consumer.run { message in
                            if message.messageId == "poison" { throw TestFailure("this message always fails") }
                            processed.add(message)
                        }
                        return false
                    }
                    defer { group.cancelAll() }
                    return await eventually { processed.count == 50 && dead.count == 1 }
                }
            }
            #expect(settled, "all good messages processed (\(processed.count)/50) and the poison one parked (\(dead.count)/1)")
            let letter = try #require(dead.messages.first)
            #expect(letter.messageId == "poison")
            #expect(letter.body == Array("poison".utf8))
            #expect(letter.headers["x-stitch-error"]?.contains("always fails") == true)
            #expect(letter.headers["x-stitch-attempts"] == "3")
            #expect(letter.headers["x-stitch-queue"] == queue)
            #expect(!processed.ids.contains("poison"))
        }
    }
}
