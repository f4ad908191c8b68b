import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing

/// Runs against its own RabbitMQ node, which it restarts mid-run.
@Suite("Faults: the broker restarts", .serialized)
struct FaultToleranceTests {
    @Test("the relay drains everything after the RabbitMQ node restarts mid-run: 0 lost, 0 duplicate effects")
    func outboxSurvivesBrokerRestart() async throws {
        let url = try TestEnvironment.faultAMQPURL()
        try await withTestDatabase(migrations: [effectsMigration], poolSize: 12) { client, schema in
            try await withBus(url: url, name: "relay") { relayBus in
                try await withBus(url: url, name: "consumer") { consumerBus in
                    let queue = uniqueName("q.restart")
                    let key = "test.\(queue)"
                    try await relayBus.declare(.eventQueue(queue, patterns: [key]))
                    try await consumerBus.declare(.eventQueue(queue, patterns: [key]))
                    let processor = MessageProcessor(
                        service: schema, environment: TestActorKeys.environment(), client: client, bus: consumerBus,
                        registry: effectHandlers(), logger: TestEnvironment.logger)
                    let consumer = MessageConsumer(bus: consumerBus, queue: queue, prefetch: 50, logger: TestEnvironment.logger)
                    let relay = OutboxRelay(client: client, bus: relayBus, schema: schema, logger: TestEnvironment.logger)
                    let total = 3000
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await relay.run() }
                        group.addTask { try await consumer.run(processor.handleEvent) }
                        defer { group.cancelAll() }
                        // Handlers keep committing events while the broker goes away and comes back.
                        let writer = Task {
                            for start in stride(from: 0, to: total, by: 50) {
                                try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                                    let messages = try (start..<start + 50).map { try itemEvent($0, routingKey: key) }
                                    try await Outbox.enqueue(messages, on: connection, logger: TestEnvironment.logger)
                                }
                                try await Task.sleep(for: .milliseconds(40))
                            }
                        }
                        #expect(await eventually { (try? await client.count("SELECT count(*) FROM effects")) ?? 0 > 200 })
                        try await TestEnvironment.faultBroker("restart")
                        try await writer.value
                        let complete = await eventually(timeout: .seconds(120)) {
                            (try? await client.count("SELECT count(*) FROM effects")) == total
                        }
                        #expect(complete, "every committed event reached the consumer after the restart")
                        try await Task.sleep(for: .milliseconds(500))
                    }
                    #expect(try await client.count("SELECT count(*) FROM effects") == total)
                    #expect(try await client.count("SELECT count(*) FROM effects WHERE applied > 1") == 0)
                    #expect(try await client.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
                }
            }
        }
    }
}
