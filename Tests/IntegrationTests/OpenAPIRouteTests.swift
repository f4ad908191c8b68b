@testable import Gateway
import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Testing

/// `/openapi.json` and the router cannot drift apart: no route served undocumented, none documented
/// that is not served (the ops endpoints live on the ops port, not in this document).
@Suite struct OpenAPIRouteTests {
    @Test("every route the gateway serves is in /openapi.json, and every documented route is served")
    func documentMatchesRouter() async throws {
        let logger = Logger(label: "openapi-routes")
        let settings = try GatewaySettings(environment: EnvironmentReader(["STITCH_ENV": "development", "STITCH_BCRYPT_COST": "4"]))
        // Never run: building the router needs a client, not a connection.
        let client = PostgresClient(configuration: .init(host: "127.0.0.1", username: "unused", password: nil, database: nil, tls: .disable),
                                    backgroundLogger: logger)
        let router = try await GatewayApp.buildRouter(settings: settings, client: client, bus: InMemoryMessageBus(), logger: logger)
        func key(_ method: String, _ path: String) -> String {
            let parts = path.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "{}" : String($0) }
            return "\(method.uppercased()) /\(parts.joined(separator: "/"))"
        }
        let served = Set(router.routes.map { key($0.method.rawValue, $0.path.description) })
        // Quality's routes live in QualityRoutes.swift until the document's rewrite appends them to `routes`
        // (then `+ qualityRoutes` here adds nothing and may go).
        let documented = Set((OpenAPIDocument.routes + OpenAPIDocument.qualityRoutes).map { key($0.method, $0.path) })
        #expect(served.count > 50)
        #expect(served.subtracting(documented).sorted() == [], "served but not in /openapi.json")
        #expect(documented.subtracting(served).sorted() == [], "in /openapi.json but not served")
    }
}
