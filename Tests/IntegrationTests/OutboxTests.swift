import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing

@Suite("Transactional outbox")
struct OutboxIntegrationTests {
    @Test("N committed transactions deliver N messages; rolled-back ones deliver nothing")
    func committedAreDeliveredRolledBackAreNot() async throws {
        try await withTestDatabase { client, schema in
            try await withBus { bus in
                let queue = uniqueName("q.outbox")
                let key = "test.\(queue)"
                try await bus.declare(.eventQueue(queue, patterns: [key]))
                var committed: [String] = []
                for item in 0..<120 {
                    let message = try itemEvent(item, routingKey: key)
                    if item % 4 == 3 {
                        // The handler's transaction fails after writing its event: the event must vanish with it.
                        _ = try? await client.withTransaction(logger: TestEnvironment.logger) { connection in
                            try await Outbox.enqueue([message], on: connection, logger: TestEnvironment.logger)
                            throw TestFailure("rolled back on purpose")
                        }
                    } else {
                        try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                            try await Outbox.enqueue([message], on: connection, logger: TestEnvironment.logger)
                        }
                        committed.append(message.messageId)
                    }
                }
                let relay = OutboxRelay(client: client, bus: bus, schema: schema, logger: TestEnvironment.logger)
                let received = Collector()
                let expected = committed
                try await whileConsuming(
                    bus, queue: queue,
                    handler: { delivery in
                        received.add(delivery.message)
                        delivery.ack()
                    }
                ) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await relay.run() }
                        defer { group.cancelAll() }
                        #expect(await eventually { received.count >= expected.count })
                        try await Task.sleep(for: .milliseconds(300))  // room for anything extra to show up
                    }
                }
                #expect(received.count == committed.count)
                #expect(Set(received.ids) == Set(committed))
                #expect(try await relay.backlog() == 0)
            }
        }
    }

    @Test("the relay wakes on NOTIFY: a committed event is published without waiting for a poll")
    func relayWakesOnNotify() async throws {
        try await withTestDatabase { client, schema in
            try await withBus { bus in
                let queue = uniqueName("q.notify")
                let key = "test.\(queue)"
                try await bus.declare(.eventQueue(queue, patterns: [key]))
                var configured = OutboxRelay(client: client, bus: bus, schema: schema, logger: TestEnvironment.logger)
                configured.pollInterval = .seconds(60)  // only NOTIFY can wake it within the test
                let relay = configured
                let received = Collector()
                try await whileConsuming(
                    bus, queue: queue,
                    handler: { delivery in
                        received.add(delivery.message)
                        delivery.ack()
                    }
                ) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await relay.run() }
                        defer { group.cancelAll() }
                        try await Task.sleep(for: .milliseconds(500))  // the relay is idle and listening
                        for item in 0..<3 {
                            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                                try await Outbox.enqueue(
                                    [try itemEvent(item, routingKey: key)], on: connection,
                                    logger: TestEnvironment.logger)
                            }
                        }
                        #expect(await eventually(timeout: .seconds(10)) { received.count == 3 })
                    }
                }
            }
        }
    }

    @Test("two relays on one outbox never publish a row twice")
    func twoRelaysDoNotDoublePublish() async throws {
        try await withTestDatabase(poolSize: 4) { client, schema in
            try await withBus { bus in
                let queue = uniqueName("q.tworelays")
                let key = "test.\(queue)"
                try await bus.declare(.eventQueue(queue, patterns: [key]))
                let total = 2000
                for start in stride(from: 0, to: total, by: 200) {
                    try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                        let messages = try (start..<start + 200).map { try itemEvent($0, routingKey: key) }
                        try await Outbox.enqueue(messages, on: connection, logger: TestEnvironment.logger)
                    }
                }
                let url = try TestEnvironment.databaseURL()
                let received = Collector()
                try await whileConsuming(
                    bus, queue: queue, prefetch: 200,
                    handler: { delivery in
                        received.add(delivery.message)
                        delivery.ack()
                    }
                ) {
                    // Two instances: their own pools and broker connections, the same outbox.
                    try await withClient(try DatabaseConfiguration(url: url, schema: schema, poolSize: 4)) { second in
                        try await withBus(name: "relay2") { secondBus in
                            var one = OutboxRelay(client: client, bus: bus, schema: schema, logger: TestEnvironment.logger)
                            var two = OutboxRelay(client: second, bus: secondBus, schema: schema, logger: TestEnvironment.logger)
                            one.batchSize = 50
                            two.batchSize = 50
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                group.addTask { [one] in try await one.run() }
                                group.addTask { [two] in try await two.run() }
                                defer { group.cancelAll() }
                                #expect(await eventually { received.count >= total })
                                try await Task.sleep(for: .milliseconds(500))
                            }
                        }
                    }
                }
                #expect(received.count == total)
                #expect(Set(received.ids).count == total)
            }
        }
    }
}
