import Testing

@testable import Messaging

/// Several broker nodes in `STITCH_AMQP_URL`: a lost node is left for the next one at once, and the
/// connection only waits once every node has failed in a row.
@Suite struct AMQPEndpointsTests {
    @Test func aListOfNodesIsParsedAndAnEmptyItemRefused() throws {
        let nodes = try AMQPEndpoints.parse("amqp://u:p@10.0.0.11:5672/stitch, amqp://u:p@10.0.0.12:5672/stitch,amqp://u:p@10.0.0.13/stitch")
        #expect(nodes.map(\.host) == ["10.0.0.11", "10.0.0.12", "10.0.0.13"])
        #expect(nodes.allSatisfy { $0.vhost == "stitch" && $0.username == "u" })
        #expect(try AMQPEndpoints.parse("amqp://h/v").count == 1)
        #expect(throws: MessagingError.self) { try AMQPEndpoints.parse("amqp://h1/v,,amqp://h2/v") }
        #expect(throws: MessagingError.self) { try AMQPEndpoints.parse("amqp://h1/v,http://h2") }
    }

    @Test func aFailedNodeIsLeftForTheNextWithoutWaitingUntilAllHaveFailed() throws {
        var endpoints = AMQPEndpoints(try AMQPEndpoints.parse("amqp://a/v,amqp://b/v,amqp://c/v"), start: 1)
        #expect(endpoints.current.host == "b")
        #expect(endpoints.failed() == .zero)
        #expect(endpoints.current.host == "c")
        #expect(endpoints.failed() == .zero)
        #expect(endpoints.current.host == "a")
        let wait = endpoints.failed()  // the third failure in a row: the whole cluster refused
        #expect(wait > .zero && wait <= .milliseconds(100))
        #expect(endpoints.current.host == "b")
        endpoints.connected()
        #expect(endpoints.failed() == .zero)  // a lost connection moves on at once again
        #expect(endpoints.current.host == "c")
    }

    @Test func oneNodeBacksOffAfterEveryFailure() throws {
        var endpoints = AMQPEndpoints(try AMQPEndpoints.parse("amqp://only/v"), start: 5)
        let first = endpoints.failed()
        let second = endpoints.failed()
        let third = endpoints.failed()
        #expect(first > .zero && second > .zero && third > .zero)
        #expect(third >= .milliseconds(200))  // 400 ms ceiling, half of it fixed
        #expect(endpoints.current.host == "only")
    }
}
