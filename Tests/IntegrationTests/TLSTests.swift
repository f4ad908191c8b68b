import Foundation
import Messaging
import Testing

@Suite("amqps:// over TLS")
struct TLSTests {
    @Test("publish and consume over TLS with the broker's CA; an unknown CA is refused")
    func publishAndConsumeOverTLS() async throws {
        let url = try TestEnvironment.value("STITCH_TEST_AMQPS_URL")
        try await withBus(url: url, name: "tls") { bus in
            let queue = uniqueName("q.tls")
            try await bus.declare(.eventQueue(queue, patterns: [queue]))
            try await bus.publish(
                (0..<20).map {
                    OutgoingMessage(
                        exchange: Topology.eventsExchange, routingKey: queue, body: Array("{}".utf8), messageId: "tls-\($0)",
                        mandatory: false)
                })
            let received = Collector()
            let all = try await whileConsuming(
                bus, queue: queue,
                handler: { delivery in
                    received.add(delivery.message)
                    delivery.ack()
                }
            ) {
                await eventually { received.count == 20 }
            }
            #expect(all)
        }
        // Without the CA the broker's certificate cannot be verified: no connection, a clear error.
        let untrusted = url.replacingOccurrences(of: #"\?cacert=.*$"#, with: "", options: .regularExpression)
        let bus = try AMQPMessageBus(
            url: untrusted, name: uniqueName("untrusted"), logger: TestEnvironment.logger,
            connectionWait: .seconds(1))
        await #expect(throws: MessagingError.self) {
            try await bus.publish(
                OutgoingMessage(
                    exchange: Topology.eventsExchange, routingKey: "x", body: [], messageId: "x",
                    mandatory: false))
        }
        await bus.shutdown()
    }
}
