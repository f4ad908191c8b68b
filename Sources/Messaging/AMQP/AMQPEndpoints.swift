import Foundation

/// The nodes of one RabbitMQ cluster a connection may use: `STITCH_AMQP_URL` holds one URL or
/// several, comma separated. A connection talks to one node at a time. When that node refuses or
/// the connection is lost, the next attempt goes to the next node at once; the connection backs off
/// only after every node has failed in a row, so a dead node costs one failed attempt, not a wait.
struct AMQPEndpoints: Sendable {
    let all: [AMQPConfiguration]
    private(set) var index: Int
    private var failuresInRound = 0
    private var backoff = Backoff()

    /// - Parameter start: the node to try first; instances start at different nodes to spread their
    ///   connections over the cluster.
    init(_ all: [AMQPConfiguration], start: Int = 0) {
        precondition(!all.isEmpty, "at least one broker address")
        self.all = all
        index = ((start % all.count) + all.count) % all.count
    }

    /// Every URL of a comma-separated list (an empty item is an error: it is a typo, not a node).
    static func parse(_ urls: String) throws(MessagingError) -> [AMQPConfiguration] {
        let items = urls.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.contains(where: \.isEmpty) else {
            throw .invalidConfiguration("a broker URL list has an empty item: \(AMQPConfiguration.redacted(urls))")
        }
        var configurations: [AMQPConfiguration] = []
        for item in items { configurations.append(try AMQPConfiguration(url: item)) }
        return configurations
    }

    var current: AMQPConfiguration { all[index] }

    mutating func connected() {
        failuresInRound = 0
        backoff.reset()
    }

    /// After a failed attempt or a lost connection: moves to the next node and says how long to wait
    /// before trying it (nothing until a whole round of nodes has failed).
    mutating func failed() -> Duration {
        index = (index + 1) % all.count
        failuresInRound += 1
        guard failuresInRound >= all.count else { return .zero }
        failuresInRound = 0
        return backoff.next()
    }
}
