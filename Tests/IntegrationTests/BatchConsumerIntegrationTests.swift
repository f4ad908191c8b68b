import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// Event followers consume in batches (one transaction for many events) on the real broker and
/// database, and still apply every event exactly once.
@Suite("Batched event consuming: one commit for many events, each applied once")
struct BatchConsumerIntegrationTests {
    /// `effectHandlers()` with a poison item: item 13 fails the way bad data does (deterministically).
    static func handlers(poison: Int = 13) -> HandlerRegistry {
        var handlers = HandlerRegistry()
        handlers.on(ItemRecorded.self) { event, context in
            if event.item == poison { throw ErrorReply.validation([FieldError(field: "item", message: "13 is refused")]) }
            try await context.connection.query(
                """
                INSERT INTO effects (item) VALUES (\(event.item)) ON CONFLICT (item) DO UPDATE SET applied = effects.applied + 1
                """, logger: context.logger)
        }
        return handlers
    }

    @Test("a poison event in a batch is parked alone; every other event of the batch is applied once")
    func poisonInABatch() async throws {
        try await withTestDatabase(migrations: [effectsMigration]) { client, schema in
            let queue = uniqueName("q.batch")
            let key = "test.\(queue)"
            try await withBus(name: "batch") { bus in
                try await bus.declare(.eventQueue(queue, patterns: [key]))
                // All waiting before the consumer starts, so they arrive together.
                try await bus.publish(try (1...40).map { try itemEvent($0, routingKey: key) })
                let processor = MessageProcessor(
                    service: schema, environment: TestActorKeys.environment(), client: client, bus: bus, registry: Self.handlers(),
                    logger: TestEnvironment.logger)
                let consumer = MessageConsumer(
                    bus: bus, queue: queue, prefetch: 50,
                    policy: RetryPolicy(baseDelay: .milliseconds(10)), logger: TestEnvironment.logger)
                let task = Task { try await consumer.runBatched(maxBatch: 32, batch: processor.handleEvents, single: processor.handleEvent) }
                #expect(try await eventually { try await client.count("SELECT count(*) FROM effects") == 39 })
                #expect(try await eventually { try await bus.messageCount(queue: "\(queue).dead") == 1 })
                #expect(try await eventually { try await bus.messageCount(queue: queue) == 0 })
                task.cancel()
                _ = try? await task.value
            }
            #expect(try await client.count("SELECT count(*) FROM effects WHERE applied = 1") == 39)
            #expect(try await client.count("SELECT count(*) FROM effects WHERE item = 13") == 0)
            #expect(try await client.count("SELECT count(*) FROM inbox") == 39, "the poison's inbox row rolled back with it")
        }
    }

    @Test("a consumer that dies after its batch committed but before the acks: redelivered, applied once")
    func crashMidBatchRedeliversHarmlessly() async throws {
        try await withTestDatabase(migrations: [effectsMigration]) { client, schema in
            let queue = uniqueName("q.batchcrash")
            let key = "test.\(queue)"
            let first = try AMQPMessageBus(url: try TestEnvironment.amqpURL(), name: uniqueName("dies"), logger: TestEnvironment.logger)
            try await first.declare(.eventQueue(queue, patterns: [key]))
            try await first.publish(try (1...20).map { try itemEvent($0, routingKey: key) })
            let processor = MessageProcessor(
                service: schema, environment: TestActorKeys.environment(), client: client, bus: first, registry: effectHandlers(),
                logger: TestEnvironment.logger)
            let committed = Mutex(0)
            let release = AsyncStream.makeStream(of: Void.self)
            let dying = Task {
                try await MessageConsumer(bus: first, queue: queue, prefetch: 50, logger: TestEnvironment.logger)
                    .runBatched(
                        maxBatch: 32,
                        batch: { messages in
                            try await processor.handleEvents(messages)  // commits the effects and inbox rows
                            committed.withLock { $0 += messages.count }
                            for await _ in release.stream {}  // "dies" here: never returns, so never acks
                        }, single: processor.handleEvent)
            }
            #expect(await eventually { committed.withLock { $0 } >= 2 })
            let appliedBeforeCrash = try await client.count("SELECT count(*) FROM effects")
            #expect(appliedBeforeCrash >= 2)
            // The process goes away: its connection closes with the batch unacknowledged.
            await first.shutdown()
            release.continuation.finish()
            dying.cancel()
            _ = try? await dying.value

            try await withBus(name: "survivor") { second in
                let processor = MessageProcessor(
                    service: schema, environment: TestActorKeys.environment(), client: client, bus: second, registry: effectHandlers(),
                    logger: TestEnvironment.logger)
                let task = Task {
                    try await MessageConsumer(bus: second, queue: queue, prefetch: 50, logger: TestEnvironment.logger)
                        .runBatched(maxBatch: 32, batch: processor.handleEvents, single: processor.handleEvent)
                }
                let applied = try await eventually { try await client.count("SELECT count(*) FROM effects") == 20 }
                #expect(applied)
                let drained = try await eventually { try await second.messageCount(queue: queue) == 0 }
                #expect(drained)
                task.cancel()
                _ = try? await task.value
            }
            #expect(try await client.count("SELECT count(*) FROM effects WHERE applied = 1") == 20, "redelivered events changed nothing")
            #expect(try await client.count("SELECT count(*) FROM inbox") == 20)
        }
    }

    @Test("a batch's acks go out as one frame yet never cover a message still in hand")
    func batchAcksLeaveHeldMessagesUnsettled() async throws {
        let queue = uniqueName("q.acks")
        let key = "test.\(queue)"
        let first = try AMQPMessageBus(url: try TestEnvironment.amqpURL(), name: uniqueName("holds"), logger: TestEnvironment.logger)
        try await first.declare(.eventQueue(queue, patterns: [key]))
        // The held message first: its delivery tag is below every tag of the batches acked after it.
        let held = try itemEvent(0, routingKey: key)
        try await first.publish(held)
        try await first.publish(try (1...20).map { try itemEvent($0, routingKey: key) })
        let batched = Mutex(0)
        let release = AsyncStream.makeStream(of: Void.self)
        let consuming = Task {
            try await MessageConsumer(bus: first, queue: queue, prefetch: 50, logger: TestEnvironment.logger)
                .runBatched(
                    maxBatch: 32, joins: { $0.messageId != held.messageId },
                    batch: { messages in
                        batched.withLock { $0 += messages.count }
                    },
                    single: { message in
                        if message.messageId == held.messageId {
                            for await _ in release.stream {}  // still in hand when the process goes away
                        } else {
                            batched.withLock { $0 += 1 }
                        }
                    })
        }
        #expect(await eventually { batched.withLock { $0 } == 20 })
        try await withBus(name: "watch") { bus in
            #expect(try await eventually { try await bus.messageCount(queue: queue) == 0 })
            try await Task.sleep(for: .milliseconds(500))  // the acks reach the broker
            await first.shutdown()  // the connection closes with the held message unsettled
            release.continuation.finish()
            consuming.cancel()
            _ = try? await consuming.value
            #expect(try await eventually { try await bus.messageCount(queue: queue) >= 1 })
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await bus.messageCount(queue: queue) == 1, "the held message came back, and only it: the batches were acked")
        }
    }

    @Test("the same events delivered twice in one batch and across batches are applied once")
    func duplicatesInsideABatch() async throws {
        try await withTestDatabase(migrations: [effectsMigration]) { client, schema in
            let processor = MessageProcessor(
                service: schema, environment: TestActorKeys.environment(), client: client, bus: InMemoryMessageBus(),
                registry: effectHandlers(), logger: TestEnvironment.logger)
            let messages = try (1...5).map { item -> IncomingMessage in
                let event = try itemEvent(item, routingKey: "unused")
                return IncomingMessage(
                    exchange: event.exchange, routingKey: event.routingKey, body: event.body,
                    messageId: event.messageId, type: event.type)
            }
            try await processor.handleEvents(messages + messages)
            try await processor.handleEvents(Array(messages.prefix(3)))
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<4 { group.addTask { try await processor.handleEvents(messages.reversed()) } }
            }
            #expect(try await client.count("SELECT count(*) FROM effects WHERE applied = 1") == 5)
            #expect(try await client.count("SELECT count(*) FROM effects") == 5)
        }
    }

    @Test("events a follower ignores (on where:) are acked with no transaction and no inbox row; the rest apply once")
    func ignoredEventsCostNoInboxRow() async throws {
        try await withTestDatabase(migrations: [effectsMigration]) { client, schema in
            var evenOnly = HandlerRegistry()
            evenOnly.on(ItemRecorded.self, where: { $0.item % 2 == 0 }) { event, context in
                try await context.connection.query("INSERT INTO effects (item) VALUES (\(event.item))", logger: context.logger)
            }
            let handlers = evenOnly
            let queue = uniqueName("q.ignored")
            let key = "test.\(queue)"
            try await withBus(name: "ignored") { bus in
                try await bus.declare(.eventQueue(queue, patterns: [key]))
                try await bus.publish(try (1...20).map { try itemEvent($0, routingKey: key) })
                let processor = MessageProcessor(
                    service: schema, environment: TestActorKeys.environment(), client: client, bus: bus, registry: handlers,
                    logger: TestEnvironment.logger)
                let consumer = MessageConsumer(bus: bus, queue: queue, prefetch: 50, logger: TestEnvironment.logger)
                let task = Task { try await consumer.runBatched(maxBatch: 32, batch: processor.handleEvents, single: processor.handleEvent) }
                #expect(try await eventually { try await client.count("SELECT count(*) FROM effects") == 10 })
                #expect(try await eventually { try await bus.messageCount(queue: queue) == 0 }, "the ignored ones were acked too")
                task.cancel()
                _ = try? await task.value
                // Alone, too.
                let odd = try itemEvent(21, routingKey: key)
                try await processor.handleEvent(
                    IncomingMessage(
                        exchange: odd.exchange, routingKey: odd.routingKey, body: odd.body,
                        messageId: odd.messageId, type: odd.type))
            }
            #expect(try await client.count("SELECT count(*) FROM effects WHERE item % 2 = 0") == 10)
            #expect(try await client.count("SELECT count(*) FROM inbox") == 10, "only the events applied have an inbox row")
        }
    }
}
