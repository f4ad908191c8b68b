import Foundation
import Logging
import Messaging
import Synchronization

/// `stitch-<service> dead-letters [list | replay MESSAGE_ID | replay --all]` (through
/// `./scripts/run ops SERVICE dead-letters …`): lists what is parked in the service's `.dead` queues
/// with the reason, or sends parked messages back to the queue they failed in. Messages it does not
/// replay stay parked.
public enum DeadLetterCommand {
    static let usage = """
        usage: stitch-SERVICE dead-letters                   list parked messages with their reason
               stitch-SERVICE dead-letters replay MESSAGE_ID  send one back to the queue it failed in
               stitch-SERVICE dead-letters replay --all       send every parked message back
        """

    public static func main(_ definition: ServiceDefinition, arguments: [String]) async -> Never {
        enum Action { case list, replay(String?) }
        let action: Action
        switch arguments {
        case [], ["list"]: action = .list
        case ["replay", "--all"]: action = .replay(nil)
        case let args where args.count == 2 && args[0] == "replay": action = .replay(args[1])
        default:
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(2)
        }
        let (configuration, logger) = ServiceRunner.bootstrap(definition.name)
        do {
            let bus = try AMQPMessageBus(url: configuration.amqpURL, name: "\(configuration.instance)-dead-letters",
                                         logger: logger, connectionWait: .seconds(10))
            try await bus.declare(definition.topology)
            var replayed = 0
            var listed = 0
            for queue in definition.topology.deadLetterQueues {
                let parked = try await bus.messageCount(queue: queue)
                guard parked > 0 else { continue }
                try await withHeld(queue, expecting: parked, bus: bus) { deliveries in
                    for delivery in deliveries {
                        let letter = delivery.message
                        switch action {
                        case .list:
                            listed += 1
                            print(describe(letter, queue: queue))
                        case .replay(let id):
                            guard id == nil || id == letter.messageId else { continue }
                            guard let copy = DeadLetter.replay(letter) else {
                                print("\(queue)  \(letter.messageId ?? "-")  not replayed: it does not say which queue it failed in")
                                continue
                            }
                            try await bus.publish(copy)
                            delivery.ack()
                            replayed += 1
                            print("replayed \(letter.messageId ?? "-") (\(letter.type ?? "-")) to \(copy.routingKey)")
                        }
                    }
                    if parked > deliveries.count {
                        print("(\(queue) holds \(parked) messages; this run saw \(deliveries.count))")
                    }
                }
            }
            await bus.shutdown()
            switch action {
            case .list: print(listed == 0 ? "no parked messages" : "\(listed) parked message(s)")
            case .replay(let id):
                print("\(replayed) message(s) replayed")
                if id != nil, replayed == 0 { exit(1) }
            }
            exit(0)
        } catch {
            logger.critical("dead-letters failed: \(error)")
            exit(1)
        }
    }

    /// Takes up to `expecting` (at most 1,000) messages of `queue` without settling them, hands them
    /// to `body`, and lets the broker take back the ones `body` did not acknowledge.
    private static func withHeld(_ queue: String, expecting: Int, bus: AMQPMessageBus,
                                 _ body: ([Delivery]) async throws -> Void) async throws {
        let wanted = min(expecting, 1000)
        let held = Mutex<[Delivery]>([])
        let consumer = Task {
            try await bus.consume(queue: queue, prefetch: wanted) { delivery in held.withLock { $0.append(delivery) } }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while held.withLock({ $0.count }) < wanted, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        do {
            try await body(held.withLock { $0 })
        } catch {
            consumer.cancel()
            _ = try? await consumer.value
            throw error
        }
        consumer.cancel()
        _ = try? await consumer.value
    }

    static func describe(_ letter: IncomingMessage, queue: String) -> String {
        let headers = letter.headers
        return [queue, letter.messageId ?? "-", letter.type ?? "-",
                "failed \(headers[DeadLetter.failedAtHeader] ?? "?")",
                "attempts \(headers[DeadLetter.attemptsHeader] ?? "?")",
                headers[DeadLetter.errorHeader] ?? "(no reason recorded: dead-lettered by the broker's delivery limit)"]
            .joined(separator: "  ")
    }
}
