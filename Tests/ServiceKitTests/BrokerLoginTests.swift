import ServiceKit
import Testing

/// A deployment lists its broker nodes once for all services and gives each service its own login
/// (`STITCH_AMQP_LOGIN`, compose/compose.yaml).
@Suite struct BrokerLoginTests {
    func amqpURL(_ environment: [String: String]) throws -> String {
        try ServiceConfiguration(
            service: "production",
            environment: EnvironmentReader(
                environment.merging(["STITCH_DATABASE_URL": "postgres://stitch_production:pw@127.0.0.1:5432/stitch"]) { $1 })
        ).amqpURL
    }

    @Test func loginIsGivenToEveryNodeThatNamesNoUser() throws {
        let url = try amqpURL([
            "STITCH_AMQP_URL": "amqp://rabbitmq-1:5672/stitch,amqps://rabbitmq-2:5671/stitch?verify=false",
            "STITCH_AMQP_LOGIN": "stitch_production:s3cret",
        ])
        #expect(url == "amqp://stitch_production:s3cret@rabbitmq-1:5672/stitch,amqps://stitch_production:s3cret@rabbitmq-2:5671/stitch?verify=false")
    }

    @Test func aNodeWithItsOwnUserAndAURLWithoutLoginStayAsWritten() throws {
        let nodes = "amqp://admin:pw@rabbitmq-1:5672/stitch,amqp://rabbitmq-2:5672/a@b"
        #expect(try amqpURL(["STITCH_AMQP_URL": nodes]) == nodes)
        #expect(
            try amqpURL(["STITCH_AMQP_URL": nodes, "STITCH_AMQP_LOGIN": "u:p"])
                == "amqp://admin:pw@rabbitmq-1:5672/stitch,amqp://u:p@rabbitmq-2:5672/a@b")
    }
}
