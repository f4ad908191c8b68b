import Messaging
import Testing

@Suite struct TopologyTests {
    @Test(arguments: [
        ("production.#", "production.spk.created.v1", true),
        ("production.*.created.v1", "production.spk.created.v1", true),
        ("production.*.created.v1", "production.daily-input.recorded.v1", false),
        ("#", "anything.at.all", true),
        ("production.spk.#", "production.spk", true),
        ("*.spk.*.v1", "production.spk.created.v1", true),
        ("production.spk.created.v1", "production.spk.created.v2", false),
        ("a.*", "a", false),
    ])
    func topicMatching(pattern: String, key: String, matches: Bool) {
        #expect(topicMatches(pattern: pattern, routingKey: key) == matches)
    }

    @Test func aServiceQueueIsQuorumWithItsDeadLetterQueue() {
        let topology = Topology.commandQueue("production.commands", types: ["production.spk.create.v1"])
        #expect(topology.exchanges.map(\.name) == ["stitch.commands", "stitch.events", "stitch.dead"])
        #expect(topology.queues.map(\.name) == ["production.commands", "production.commands.dead"])
        #expect(topology.queues[0].deliveryLimit == Topology.defaultDeliveryLimit)
        #expect(
            topology.bindings.contains(
                .init(
                    queue: "production.commands.dead", exchange: "stitch.dead",
                    routingKey: "production.commands.dead")))
        let merged = topology.merged(with: .eventQueue("production.events", patterns: ["approval.#"]))
        #expect(merged.exchanges.count == 3)
        #expect(merged.queues.count == 4)
    }

    @Test func amqpURLParsing() throws {
        let plain = try AMQPConfiguration(url: "amqp://stitch:s%40cret@10.0.0.5:5673/stitch?heartbeat=5")
        #expect(plain.host == "10.0.0.5" && plain.port == 5673 && plain.password == "s@cret")
        #expect(plain.vhost == "stitch" && plain.heartbeat == 5 && !plain.tls)
        #expect(!plain.description.contains("cret"))
        let tls = try AMQPConfiguration(url: "amqps://broker.factory.local")
        #expect(tls.tls && tls.port == 5671 && tls.vhost == "/" && tls.verifyPeer)
        #expect(throws: MessagingError.self) { try AMQPConfiguration(url: "http://nope") }
        #expect(throws: MessagingError.self) { try AMQPConfiguration(url: "amqp://h/v?heartbeat=-1") }
    }
}
