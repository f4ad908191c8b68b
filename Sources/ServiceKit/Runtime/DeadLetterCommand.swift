import Foundation
import Logging
import Messaging
import Synchronization

/// What is parked in a service's `<queue>.dead` queues, and putting it back: the engine of
/// `stitch-<service> dead-letters` (through `./scripts/run ops SERVICE dead-letters …`).
/// Messages it does not replay stay parked.
public struct DeadLetters: Sendable {
    public struct Letter: Sendable, CustomStringConvertible {
        public var queue: String
        public var message: IncomingMessage
        public var reason: String { message.headers[DeadLetter.errorHeader] ?? "(no reason recorded: dead-lettered by the broker's delivery limit)" }
        public var description: String {
            [
                queue, message.messageId ?? "-", message.type ?? "-",
                "failed \(message.headers[DeadLetter.failedAtHeader] ?? "?")",
                "attempts \(message.headers[DeadLetter.attemptsHeader] ?? "?")", reason,
            ].joined(separator: "  ")
        }
    }

    let bus: any MessageBus
    let queues: [String]

    public init(bus: any MessageBus, queues: [String]) {
        self.bus = bus
        self.queues = queues
    }

    /// Every parked message (up to 1,000 per queue), left parked.
    public func list() async throws -> [Letter] {
        var letters: [Letter] = []
        for queue in queues {
            try await withHeld(queue) { deliveries in
                letters += deliveries.map { Letter(queue: queue, message: $0.message) }
                return 0
            }
        }
        return letters
    }

    /// Sends the parked message `messageId` (nil: every one) back to the queue it failed in; returns those replayed.
    @discardableResult
    public func replay(_ messageId: String?) async throws -> [Letter] {
        var replayed: [Letter] = []
        for queue in queues {
            try await withHeld(queue) { deliveries in
                var count = 0
                for delivery in deliveries where messageId == nil || delivery.message.messageId == messageId {
                    guard let copy = DeadLetter.replay(delivery.message) else { continue }
                    try await bus.publish(copy)
                    delivery.ack()
                    replayed.append(Letter(queue: queue, message: delivery.message))
                    count += 1
                }
                return count
            }
        }
        return replayed
    }

    /// Takes what `queue` holds (at most 1,000) without settling it, hands it to `body` (which
    /// returns how many it acknowledged), gives the rest back and waits until the queue shows them
    /// again, so the next look sees what this one left.
    private func withHeld(_ queue: String, _ body: ([Delivery]) async throws -> Int) async throws {
        let parked = try await bus.messageCount(queue: queue)
        guard parked > 0 else { return }
        let wanted = min(parked, 1000)
        let held = Mutex<[Delivery]>([])
        let bus = self.bus
        let consumer = Task {
            try await bus.consume(queue: queue, prefetch: wanted) { delivery in held.withLock { $0.append(delivery) } }
        }
        defer { consumer.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        while held.withLock({ $0.count }) < wanted, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let deliveries = held.withLock { $0 }
        let acknowledged: Int
        do {
            acknowledged = try await body(deliveries)
        } catch {
            consumer.cancel()
            _ = try? await consumer.value
            throw error
        }
        consumer.cancel()
        _ = try? await consumer.value
        // What was not acknowledged went back when the consumer closed; the queue counts it as
        // ready a moment later.
        let left = parked - acknowledged
        let settled = ContinuousClock.now + .seconds(5)
        while try await bus.messageCount(queue: queue) < left, ContinuousClock.now < settled {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// `stitch-<service> dead-letters [list | replay MESSAGE_ID | replay --all]`.
enum DeadLetterCommand {
    static let usage = """
        usage: stitch-SERVICE dead-letters                   list parked messages with their reason
               stitch-SERVICE dead-letters replay MESSAGE_ID  send one back to the queue it failed in
               stitch-SERVICE dead-letters replay --all       send every parked message back
        """

    static func main(_ definition: ServiceDefinition, arguments: [String]) async -> Never {
        let replay: String??
        switch arguments {
        case [], ["list"]: replay = .none
        case ["replay", "--all"]: replay = .some(nil)
        case let args where args.count == 2 && args[0] == "replay": replay = .some(args[1])
        default:
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(2)
        }
        if definition.topology.deadLetterQueues.isEmpty {
            // The gateway: it sends and waits for replies, but consumes no queue of its own.
            print("\(definition.name) consumes no queue, so it has no parked messages")
            exit(replay == .some(nil) || replay == .none ? 0 : 1)
        }
        let (configuration, logger) = ServiceRunner.bootstrap(definition.name)
        do {
            let bus = try AMQPMessageBus(
                url: configuration.amqpURL, name: "\(configuration.instance)-dead-letters",
                logger: logger, connectionWait: .seconds(10))
            try await bus.declare(definition.topology)
            let letters = DeadLetters(bus: bus, queues: definition.topology.deadLetterQueues)
            var status: Int32 = 0
            if let target = replay {
                let done = try await letters.replay(target)
                for letter in done {
                    print(
                        "replayed \(letter.message.messageId ?? "-") (\(letter.message.type ?? "-")) to \(letter.message.headers[DeadLetter.queueHeader] ?? "?")"
                    )
                }
                print("\(done.count) message(s) replayed")
                if target != nil, done.isEmpty { status = 1 }
            } else {
                let parked = try await letters.list()
                for letter in parked { print(letter) }
                print(parked.isEmpty ? "no parked messages" : "\(parked.count) parked message(s)")
            }
            await bus.shutdown()
            exit(status)
        } catch {
            logger.critical("dead-letters failed: \(error)")
            exit(1)
        }
    }
}
