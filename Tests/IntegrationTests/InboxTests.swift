import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// The effect table of the delivery tests: one row per applied item, `applied` counts applications.
let effectsMigration = SQLMigration(
    id: "001-effects",
    sql: """
        CREATE TABLE effects (item integer PRIMARY KEY, applied integer NOT NULL DEFAULT 1);
        """)

/// A registry whose `ItemRecorded` handler applies the effect (and would count a second application).
func effectHandlers() -> HandlerRegistry {
    var handlers = HandlerRegistry()
    handlers.on(ItemRecorded.self) { event, context in
        try await context.connection.query(
            """
            INSERT INTO effects (item) VALUES (\(event.item)) ON CONFLICT (item) DO UPDATE SET applied = effects.applied + 1
            """, logger: context.logger)
    }
    return handlers
}

@Suite("Inbox: at-least-once delivery, exactly-once effect")
struct InboxIntegrationTests {
    @Test("a handler that dies after commit but before ack: the message comes back and the inbox applies it once")
    func redeliveryAfterCrashAppliesOnce() async throws {
        try await withTestDatabase(migrations: [effectsMigration]) { client, schema in
            let queue = uniqueName("q.crash")
            let key = "test.\(queue)"
            let first = try AMQPMessageBus(url: try TestEnvironment.amqpURL(), name: uniqueName("dies"), logger: TestEnvironment.logger)
            try await first.declare(.eventQueue(queue, patterns: [key]))
            try await first.publish(try itemEvent(7, routingKey: key))

            let processor = MessageProcessor(
                service: schema, environment: TestActorKeys.environment(), client: client, bus: first, registry: effectHandlers(),
                logger: TestEnvironment.logger)
            let committed = Mutex(false)
            let release = AsyncStream.makeStream(of: Void.self)
            let consuming = Task {
                try await first.consume(queue: queue, prefetch: 1) { delivery in
                    try? await processor.handleEvent(delivery.message)  // commits the effect and the inbox row
                    committed.withLock { $0 = true }
                    for await _ in release.stream {}  // "dies" here: never acks
                }
            }
            #expect(await eventually { committed.withLock { $0 } })
            // The process goes away: its connection closes with the message unacknowledged.
            await first.shutdown()
            release.continuation.finish()
            consuming.cancel()
            _ = try? await consuming.value

            let redelivered = Collector()
            try await withBus(name: "survivor") { second in
                let processor = MessageProcessor(
                    service: schema, environment: TestActorKeys.environment(), client: client, bus: second, registry: effectHandlers(),
                    logger: TestEnvironment.logger)
                let seen = try await whileConsuming(
                    second, queue: queue,
                    handler: { delivery in
                        try? await processor.handleEvent(delivery.message)
                        redelivered.add(delivery.message)
                        delivery.ack()
                    }
                ) {
                    await eventually { redelivered.count >= 1 }
                }
                #expect(seen)
            }
            #expect(redelivered.messages.first?.redelivered == true)
            #expect(try await client.count("SELECT count(*) FROM effects WHERE item = 7 AND applied = 1") == 1)
            #expect(try await client.count("SELECT count(*) FROM inbox") == 1)
        }
    }

    @Test("the same event delivered twice at the same moment is applied once")
    func concurrentDuplicatesApplyOnce() async throws {
        try await withTestDatabase(migrations: [effectsMigration]) { client, schema in
            let processor = MessageProcessor(
                service: schema, environment: TestActorKeys.environment(), client: client, bus: InMemoryMessageBus(),
                registry: effectHandlers(), logger: TestEnvironment.logger)
            let event = try itemEvent(42, routingKey: "unused")
            let message = IncomingMessage(
                exchange: event.exchange, routingKey: event.routingKey, body: event.body,
                messageId: event.messageId, type: event.type)
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<8 { group.addTask { try await processor.handleEvent(message) } }
            }
            #expect(try await client.count("SELECT applied FROM effects WHERE item = 42") == 1)
        }
    }

    @Test("housekeeping forgets de-duplication records only after they can no longer matter")
    func housekeepingKeepsRecentRecords() async throws {
        try await withTestDatabase { client, _ in
            try await client.query(
                """
                INSERT INTO inbox (consumer, message_id, received_at) VALUES
                    ('svc', 'old', now() - interval '40 days'), ('svc', 'recent', now() - interval '2 days')
                """, logger: TestEnvironment.logger)
            try await client.query(
                """
                INSERT INTO idempotency_keys (scope, key, reply, created_at) VALUES
                    ('message', 'm-old', '{}', now() - interval '8 days'), ('message', 'm-new', '{}', now()),
                    ('daily-input', 'phone-old', '{}', now() - interval '100 days'),
                    ('daily-input', 'phone-weekend', '{}', now() - interval '20 days')
                """, logger: TestEnvironment.logger)
            let deleted = try await Housekeeping(client: client, logger: TestEnvironment.logger).runOnce()
            #expect(deleted == 3)
            #expect(try await client.count("SELECT count(*) FROM inbox WHERE message_id = 'recent'") == 1)
            #expect(try await client.count("SELECT count(*) FROM idempotency_keys") == 2)
            #expect(try await client.count("SELECT count(*) FROM idempotency_keys WHERE key = 'phone-weekend'") == 1)
        }
    }
}
