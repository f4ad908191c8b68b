import Approval
import BOMFinance
import Contracts
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import PPIC
import PostgresNIO
import Production
import Quality
import ServiceKit
import Synchronization
import Testing
import Warehouse

/// The whole system in this process, each part on its own broker connections and database schema
/// exactly as in production: Gateway (HTTP on a free port) → RabbitMQ → Production / PPIC → PostgreSQL.
/// Services own fixed queue names, so suites using it are `.serialized`. Production and PPIC tell
/// the time by `clock` (real time unless a test moves it).
func withStack(clock: TestClock = TestClock(), _ body: @Sendable (HTTPClient) async throws -> Void) async throws {
    let url = try TestEnvironment.databaseURL()
    let logger = TestEnvironment.logger
    let services = ServiceName.allCases.map(\.rawValue)
    // The services verify what the gateway below signs, as in production, and tell the time by `clock` — all but
    // Approval, which keeps real time (a test moves PPIC's clock years past an approval request, to see it wait).
    let environment = TestActorKeys.environment(now: clock.now)
    // Every service but the gateway (served over HTTP below) runs here: a service new to ServiceName fails
    // here, by name, until this file runs it.
    let definitions: [ServiceName: ServiceDefinition] = [
        .production: ProductionService.definition(environment: environment),
        .ppic: PPICService.definition(environment: environment),
        .approval: ApprovalService.definition(environment: TestActorKeys.environment()),
        .bomfinance: BOMFinanceService.definition(environment: environment),
        .warehouse: WarehouseService.definition(environment: environment, settings: WarehouseSettings(inspectOnReceipt: [.label])),
        .quality: QualityService.definition(environment: environment, settings: QualitySettings(sweepInterval: .milliseconds(250))),
    ]
    let unrun = ServiceName.allCases.filter { $0 != .gateway && definitions[$0] == nil }.map(\.rawValue)
    try #require(unrun.isEmpty, "Tests/IntegrationTests/Support/Stack.swift runs no \(unrun)")
    try await withClient(try DatabaseConfiguration(url: url, schema: "public", poolSize: 1)) { admin in
        for schema in services {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
        }
    }
    var clients: [String: PostgresClient] = [:]
    var buses: [String: AMQPMessageBus] = [:]
    for name in services + ["events"] {
        buses[name] = try AMQPMessageBus(url: try TestEnvironment.amqpURL(), name: uniqueName(name), logger: logger)
    }
    for name in services {
        clients[name] = PostgresClient(
            configuration: try DatabaseConfiguration(url: url, schema: name).clientConfiguration(),
            backgroundLogger: logger)
    }
    // Dozens of these stacks come and go, one after another, on the same queues; each one that stops returns
    // what it had prefetched, and RabbitMQ 3.10 counts every return as a delivery. The production
    // limit (5) is for crashes; here it would park an ordinary message that was merely passed around.
    let policy = RetryPolicy(poisonDeliveries: 50)
    let runtimes = definitions.map { name, definition in
        ServiceRuntime(definition: definition, client: clients[name.rawValue]!, bus: buses[name.rawValue]!, policy: policy, logger: logger)
    }
    let databases = clients
    let gatewayDB = clients["gateway"]!
    let gatewayBus = buses["gateway"]!
    let eventBus = buses["events"]!
    do {
        // Clients outlive the runtimes: a runtime shutting down still commits what its handlers have
        // in flight, and a PostgresClient whose run() has ended never answers a lease.
        try await withThrowingTaskGroup(of: Void.self) { clientsGroup in
            for client in clients.values { clientsGroup.addTask { await client.run() } }
            defer { clientsGroup.cancelAll() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for runtime in runtimes { group.addTask { try await runtime.run() } }
                defer { group.cancelAll() }
                var settings = try GatewaySettings(
                    environment: EnvironmentReader([
                        "STITCH_ENV": "development", "STITCH_BCRYPT_COST": "4", "STITCH_SEED_DEMO": "true",
                        "STITCH_CORS_ORIGINS": "http://factory.example", "STITCH_TRUSTED_PROXIES": "127.0.0.1",
                        "STITCH_ACTOR_SIGNING_KEY": TestActorKeys.signingKeyBase64,
                    ]))
                settings.now = clock.now  // the gateway checks dates against the same today as the services
                try await GatewayApp.prepare(settings: settings, client: gatewayDB, logger: logger)
                let router = try await GatewayApp.buildRouter(settings: settings, client: gatewayDB, bus: gatewayBus, logger: logger)
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
                try await app.test(.live) { client in
                    let http = HTTPClient(client: client, bus: eventBus, databases: databases)
                    // Ready once every service answers (each declares its queues as it starts).
                    let token = try await http.login("admin", "admin-dev-123")
                    let ready = await eventually(timeout: .seconds(60)) {
                        var statuses: [Int] = []
                        for path in [
                            "/api/v1/production/spks", "/api/v1/ppic/dashboard", "/api/v1/production/approvals/pending",
                            "/api/v1/master/articles", "/api/v1/inventory/locations", "/api/v1/quality/defect-codes",
                        ] {
                            statuses.append((try? await http.call(.get, path, token: token))?.status ?? 0)
                        }
                        return statuses.allSatisfy { $0 == 200 }
                    }
                    try #require(ready, "Production, PPIC, Approval, BOMFinance, Warehouse and Quality did not start")
                    try await body(http)
                }
            }
        }
    } catch {
        for bus in buses.values { await bus.shutdown() }
        throw error
    }
    for bus in buses.values { await bus.shutdown() }
}

/// A thin JSON client over HummingbirdTesting's live client.
struct HTTPClient: Sendable {
    let client: any TestClientProtocol
    /// A broker connection of the test's own, for replaying events as a faulty network would.
    var bus: (any MessageBus)? = nil
    /// Each service's database client, for tests that act as an operator would (a PPIC rebuild).
    var databases: [String: PostgresClient] = [:]

    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: HTTPFields
        var json: Any?
        var body: [String: Any] { json as? [String: Any] ?? [:] }
        var data: [String: Any] { body["data"] as? [String: Any] ?? [:] }
        var list: [[String: Any]] { body["data"] as? [[String: Any]] ?? [] }
        var error: [String: Any] { body["error"] as? [String: Any] ?? [:] }
        var errorFields: [String] { (error["details"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    }

    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: Any? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            let parsed =
                response.body.readableBytes > 0
                ? try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) : nil
            return Reply(status: Int(response.status.code), headers: response.headers, json: parsed)
        }
    }

    func login(_ username: String, _ password: String) async throws -> String {
        let reply = try await call(.post, "/api/v1/auth/login", json: ["username": username, "password": password])
        guard reply.status == 200, let token = reply.data["access_token"] as? String else {
            throw TestFailure("login \(username) failed: \(reply.status) \(reply.body)")
        }
        return token
    }
}

/// A clock tests can move. It keeps running (timestamps still advance), offset from real time.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    init() {}

    /// Starts at `hour` o'clock of `date` in the factory's default time zone.
    convenience init(factoryDate date: String, hour: Int = 10) {
        self.init()
        set(factoryDate: date, hour: hour)
    }

    var now: @Sendable () -> Date { { Date().addingTimeInterval(self.offset.withLock { $0 }) } }

    func set(factoryDate date: String, hour: Int = 10) {
        let day = LocalDate(date)!
        let instant = day.startOfDayUTC.addingTimeInterval(Double(hour * 3600 - TimeZone(identifier: "Asia/Jakarta")!.secondsFromGMT()))
        offset.withLock { $0 = instant.timeIntervalSinceNow }
    }
}

/// Today in the factory's default time zone, and days around it.
func factoryDay(_ offset: Int = 0) -> String {
    LocalDate.of(Date(), in: TimeZone(identifier: "Asia/Jakarta")!).adding(days: offset).description
}
