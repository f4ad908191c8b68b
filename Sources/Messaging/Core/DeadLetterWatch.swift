import Logging
import Metrics

/// Looks at a service's `<queue>.dead` queues every `interval` and reports how many messages are
/// parked there: `stitch_dead_letters{queue}` for alerting (it does not depend on PPIC or any
/// other service being up), and a warning in the log while any is non-empty.
public struct DeadLetterWatch: Sendable {
    public var interval: Duration = .seconds(30)
    let bus: any MessageBus
    let queues: [String]
    let logger: Logger

    public init(bus: any MessageBus, queues: [String], logger: Logger) {
        self.bus = bus
        self.queues = queues
        self.logger = logger
    }

    public func run() async {
        guard !queues.isEmpty else { return }
        var reported: [String: Int] = [:]
        while !Task.isCancelled {
            for queue in queues {
                guard let count = try? await bus.messageCount(queue: queue) else { continue }
                Gauge(label: "stitch_dead_letters", dimensions: [("queue", queue)]).record(count)
                if count > 0, reported[queue] != count {
                    logger.warning("\(count) message(s) parked in \(queue): list and replay them with `dead-letters`")
                }
                reported[queue] = count
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
