import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing

@Suite("Commands over RPC into a service runtime")
struct CommandIntegrationTests {
    static let itemsMigration = SQLMigration(
        id: "001-items",
        sql: """
            CREATE TABLE items (item text PRIMARY KEY, applied integer NOT NULL DEFAULT 1);
            """)

    static func definition(_ schema: String) -> ServiceDefinition {
        var handlers = HandlerRegistry()
        handlers.handle(RecordItem.self) { command, context in
            guard !command.item.isEmpty else {
                throw ErrorReply.validation([FieldError(field: "item", message: "must not be empty")])
            }
            let rows = try await context.connection.query(
                """
                INSERT INTO items (item) VALUES (\(command.item))
                ON CONFLICT (item) DO UPDATE SET applied = items.applied + 1 RETURNING applied
                """, logger: context.logger)
            var applied = 0
            for try await value in rows.decode(Int.self) { applied = value }
            try await context.publish(ItemRecorded(item: applied))
            return ItemReply(item: command.item, timesApplied: applied)
        }
        return ServiceDefinition(name: schema, environment: TestActorKeys.environment(), migrations: [itemsMigration], handlers: handlers)
    }

    @Test("the same idempotency key sent ten times at once applies once and answers the same")
    func idempotentCommand() async throws {
        try await withTestDatabase { client, schema in
            try await withBus(name: "service") { serviceBus in
                try await withBus(name: "caller") { caller in
                    let runtime = ServiceRuntime(
                        definition: Self.definition(schema), client: client, bus: serviceBus,
                        logger: TestEnvironment.logger)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await runtime.run() }
                        defer { group.cancelAll() }
                        let actor = Actor(userId: "u1", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
                        let key = UUID().uuidString
                        // Retry until the runtime has declared its queue (it starts in the background).
                        #expect(
                            await eventually {
                                (try? await caller.send(TestActorKeys.signed(Envelope(RecordItem(item: "warmup"), actor: actor)))) != nil
                            })
                        let replies = try await withThrowingTaskGroup(of: ItemReply.self) { sends in
                            for _ in 0..<10 {
                                sends.addTask {
                                    try await caller.send(
                                        TestActorKeys.signed(Envelope(RecordItem(item: "carton-1"), actor: actor, idempotencyKey: key)))
                                }
                            }
                            return try await sends.reduce(into: []) { $0.append($1) }
                        }
                        #expect(replies.count == 10)
                        #expect(Set(replies) == [ItemReply(item: "carton-1", timesApplied: 1)])
                        #expect(try await client.count("SELECT applied FROM items WHERE item = 'carton-1'") == 1)

                        // Another key is another command.
                        let again = try await caller.send(
                            TestActorKeys.signed(
                                Envelope(
                                    RecordItem(item: "carton-1"), actor: actor,
                                    idempotencyKey: UUID().uuidString)))
                        #expect(again.timesApplied == 2)

                        // A refusal reaches the caller as the handler's error and writes nothing.
                        await #expect {
                            _ = try await caller.send(TestActorKeys.signed(Envelope(RecordItem(item: ""), actor: actor)))
                        } throws: { error in
                            let reply = error as? ErrorReply
                            return reply?.code == .validationFailed && reply?.details.first?.field == "item"
                        }
                        #expect(try await client.count("SELECT count(*) FROM items WHERE item = ''") == 0)

                        // A request that waited in the queue past its expiry (the service was down) is not run.
                        var stale = Envelope(RecordItem(item: "stale"), actor: actor)
                        stale.header.occurredAt = Date().addingTimeInterval(-600)
                        await #expect {
                            _ = try await caller.send(TestActorKeys.signed(stale))
                        } throws: { ($0 as? ErrorReply)?.code == .timeout }
                        #expect(try await client.count("SELECT count(*) FROM items WHERE item = 'stale'") == 0)
                        // Each applied command's event went out through the outbox.
                        #expect(
                            await eventually {
                                (try? await client.count("SELECT count(*) FROM outbox WHERE published_at IS NULL")) == 0
                            })
                        #expect(try await client.count("SELECT count(*) FROM outbox") == 3)
                    }
                }
            }
        }
    }
}
