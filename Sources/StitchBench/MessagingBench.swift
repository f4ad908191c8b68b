import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Synchronization

/// `./scripts/bench messaging`: confirmed publishing, consuming with the inbox write in a
/// transaction, the outbox relay, and request/reply latency — against a real broker and database.
struct MessagingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "messaging")

    @Option(help: "Broker URL") var amqpURL: String
    @Option(help: "Database URL of a role that may create schemas") var databaseURL: String
    @Option(help: "Messages per throughput run") var messages = 20_000
    @Option(help: "Request/reply round trips") var requests = 2_000
    @Option(help: "Body size in bytes") var bodySize = 256

    func run() async throws {
        var logger = Logger(label: "stitch.bench")
        logger.logLevel = .error
        let bus = try AMQPMessageBus(url: amqpURL, name: "bench", logger: logger)
        let schema = "bench_\(UUID().uuidString.prefix(8).lowercased())"
        let body = Array(String(repeating: "x", count: bodySize).utf8)
        print(
            "Messaging on this machine (\(ProcessInfo.processInfo.activeProcessorCount) cores), \(bodySize)-byte persistent messages, quorum queues")

        try await withDatabase(schema: schema, logger: logger) { client in
            try await publishing(bus: bus, body: body)
            try await consuming(bus: bus, client: client, schema: schema, body: body, logger: logger)
            try await relaying(bus: bus, client: client, schema: schema, logger: logger)
            try await requestReply(bus: bus)
        }
        await bus.shutdown()
    }

    private func queue(_ bus: AMQPMessageBus, _ name: String) async throws -> String {
        try await bus.declare(.eventQueue(name, patterns: [name]))
        return name
    }

    private func messages(_ count: Int, key: String, body: [UInt8]) -> [OutgoingMessage] {
        (0..<count).map {
            OutgoingMessage(
                exchange: Topology.eventsExchange, routingKey: key, body: body, messageId: "\(key)-\($0)",
                type: "bench.message.v1", mandatory: false)
        }
    }

    private func publishing(bus: AMQPMessageBus, body: [UInt8]) async throws {
        let key = try await queue(bus, "bench.publish.\(UUID().uuidString.prefix(8))")
        let one = messages(min(2_000, messages), key: key, body: body)
        var started = ContinuousClock.now
        for message in one { try await bus.publish(message) }
        report("publish + wait for its confirm, one by one", rate(one.count, started.duration(to: .now)))
        for batch in [100, 1_000] {
            let all = messages(messages, key: key, body: body)
            started = .now
            for start in stride(from: 0, to: all.count, by: batch) {
                try await bus.publish(Array(all[start..<min(all.count, start + batch)]))
            }
            report("publish \(batch), then wait for their confirms", rate(all.count, started.duration(to: .now)))
        }
    }

    private func consuming(bus: AMQPMessageBus, client: PostgresClient, schema: String, body: [UInt8], logger: Logger) async throws {
        let key = try await queue(bus, "bench.consume.\(UUID().uuidString.prefix(8))")
        let all = messages(messages, key: key, body: body)
        for start in stride(from: 0, to: all.count, by: 1_000) {
            try await bus.publish(Array(all[start..<min(all.count, start + 1_000)]))
        }
        for prefetch in [32, 100] {
            if prefetch != 32 {
                for start in stride(from: 0, to: all.count, by: 1_000) {
                    try await bus.publish(Array(all[start..<min(all.count, start + 1_000)]))
                }
            }
            let done = SharedCount()
            let target = all.count
            let consumer = MessageConsumer(bus: bus, queue: key, prefetch: prefetch, logger: logger)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await consumer.run { message in
                        try await client.withTransaction(logger: logger) { connection in
                            _ = try await Inbox.claim(
                                "\(prefetch)-\(message.messageId ?? "")", consumer: "bench",
                                type: message.type, on: connection, logger: logger)
                        }
                        done.increment()
                    }
                }
                while done.value < target { try await Task.sleep(for: .milliseconds(5)) }
                group.cancelAll()
            }
            report("consume + inbox row in a transaction + ack, prefetch \(prefetch)", rate(target, started.duration(to: .now)))
        }
    }

    private func relaying(bus: AMQPMessageBus, client: PostgresClient, schema: String, logger: Logger) async throws {
        let key = try await queue(bus, "bench.outbox.\(UUID().uuidString.prefix(8))")
        let all = messages(messages, key: key, body: Array("{\"n\":1}".utf8))
        for start in stride(from: 0, to: all.count, by: 500) {
            try await client.withTransaction(logger: logger) { connection in
                try await Outbox.enqueue(Array(all[start..<min(all.count, start + 500)]), on: connection, logger: logger)
            }
        }
        let relay = OutboxRelay(client: client, bus: bus, schema: schema, logger: logger)
        let started = ContinuousClock.now
        var published = 0
        while published < all.count { published += try await relay.drainOnce() }
        report("outbox relay: claim 500, publish, confirm, mark sent", rate(published, started.duration(to: .now)))
    }

    private func requestReply(bus: AMQPMessageBus) async throws {
        let name = "bench.rpc.\(UUID().uuidString.prefix(8))"
        try await bus.declare(.commandQueue(name, types: [name]))
        let requests = self.requests
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await bus.consume(queue: name, prefetch: 100) { delivery in
                    if let reply = OutgoingMessage.reply(to: delivery.message, body: Array("{\"data\":{}}".utf8)) {
                        try? await bus.publish(reply)
                    }
                    delivery.ack()
                }
            }
            var latencies = Latencies()
            for index in 0..<requests {
                let started = ContinuousClock.now
                _ = try await bus.request(
                    OutgoingMessage(
                        exchange: Topology.commandsExchange, routingKey: name,
                        body: Array("{}".utf8), messageId: "rpc-\(index)"),
                    timeout: .seconds(5))
                if index >= 50 { latencies.record(started.duration(to: .now)) }  // after warm-up
            }
            report("request/reply round trip (reply confirmed), p50", latencies.percentile(0.50).milliseconds)
            report("request/reply round trip (reply confirmed), p99", latencies.percentile(0.99).milliseconds)
            group.cancelAll()
        }
    }

    private func withDatabase(schema: String, logger: Logger, _ body: (PostgresClient) async throws -> Void) async throws {
        let configuration = try DatabaseConfiguration(url: databaseURL, schema: schema, poolSize: 40)
        let client = PostgresClient(configuration: configuration.clientConfiguration(), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
            try await Migrator(schema: schema, migrations: [], logger: logger).migrate(client)
            do {
                try await body(client)
            } catch {
                _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
                throw error
            }
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
            group.cancelAll()
        }
    }
}

final class SharedCount: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
