import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization

/// Wires the gateway by construction: its stores and token service, the controllers, the routes.
public enum GatewayApp {
    /// The public API. `/ready` and `/metrics` are not on it: they are on the ops port (`GatewayMain`).
    /// `board`: the web board's feed, for its push stream (`/api/v1/ppic/stream`); without it there is no stream.
    public static func buildRouter(
        settings: GatewaySettings, client: PostgresClient, bus: any MessageBus, board: BoardFeed? = nil,
        logger: Logger
    ) async throws -> Router<GatewayContext> {
        let users = UserStore(client: client, logger: logger)
        let hasher = PasswordHasher(cost: settings.bcryptCost)
        let tokens = await TokenService(secret: settings.jwtSecret, accessLifetime: settings.accessTokenLifetime)

        let router = Router(context: GatewayContext.self)
        router.add(middleware: MetricsMiddleware())  // outermost: it sees the final status of every request
        router.add(middleware: ConfiguredCORS(origins: settings.corsOrigins))  // on error bodies too
        router.add(middleware: APIMiddleware(today: { settings.today }))
        let routeMethods = RouteMethods()
        router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))
        router.add(middleware: InputCheckMiddleware())
        let catalogue = OperationCatalogue()
        let api = router.group("api/v1").add(middleware: AuthMiddleware(tokens: tokens))
            .add(middleware: IdempotencyKeyMiddleware(store: PostgresRequestKeyStore(client: client, logger: logger)))
        let services = ServiceCaller(bus: bus, timeout: settings.requestTimeout, signer: settings.actorSigner)
        let local = APIRoutes(group: api, prefix: "/api/v1", tag: "", catalogue: catalogue, services: nil)
        let remote = APIRoutes(group: api, prefix: "/api/v1", tag: "", catalogue: catalogue, services: services)
        AuthController(
            users: users, tokens: tokens, hasher: hasher, settings: settings,
            clients: ClientAddress(trustedProxies: settings.trustedProxies), decoyHash: await hasher.hash(UUID().uuidString)
        )
        .register(on: local.routes("auth", tag: "Auth"))
        UsersController(users: users, hasher: hasher).register(on: local.routes("users", tag: "Users"))
        ProductionController(operators: OperatorLookup(users: users)).register(on: remote.routes("production", tag: "Production"))
        PPICController().register(on: remote.routes("ppic", tag: "PPIC"))
        if let board { BoardStreamController(feed: board).register(on: remote.routes("ppic", tag: "PPIC")) }
        ApprovalController().register(
            production: remote.routes("production", tag: "Approval"), approvals: remote.routes("approvals", tag: "Approval"))
        BOMFinanceController().register(
            master: remote.routes("master", tag: "Master data"), bom: remote.routes("bom", tag: "BOM"),
            costing: remote.routes("costing", tag: "Costing"))
        WarehouseController().register(
            inventory: remote.routes("inventory", tag: "Inventory"),
            warehouse: remote.routes("warehouse", tag: "Finished goods"))
        QualityController().register(on: remote.routes("quality", tag: "Quality"))
        OpenAPIDocument.serve(on: router, catalogue: catalogue, logger: logger)
        routeMethods.load(router.routes)
        return router
    }

    /// Brings the gateway's schema up to date and creates the demo users (`STITCH_SEED_DEMO`) and the first
    /// administrator (`STITCH_ADMIN_PASSWORD`) when asked to.
    public static func prepare(settings: GatewaySettings, client: PostgresClient, logger: Logger) async throws {
        try await Migrator(schema: ServiceName.gateway.rawValue, migrations: GatewayMigrations.all, logger: logger).migrate(client)
        let users = UserStore(client: client, logger: logger)
        let hasher = PasswordHasher(cost: settings.bcryptCost)
        if settings.seedDemoUsers {
            try await DemoUsers.seed(users, hasher: hasher)
        }
        if let password = settings.initialAdminPassword, try await InitialAdmin.ensure(users, hasher: hasher, password: password) {
            logger.notice("created the first administrator '\(InitialAdmin.username)' (STITCH_ADMIN_PASSWORD)")
        }
    }

    /// The gateway's messaging side: its outbox relay and base topology, no consumers; and the
    /// housekeeping of its sign-in tables.
    public static func definition(settings: GatewaySettings) -> ServiceDefinition {
        let housekeeping = AuthHousekeeping(interval: settings.cleanupInterval, batch: settings.cleanupBatch)
        return ServiceDefinition(
            name: ServiceName.gateway.rawValue, environment: ServiceEnvironment(verifier: .configured(), now: settings.now),
            migrations: GatewayMigrations.all, handlers: HandlerRegistry(),
            background: [
                { client, _, logger, monitor in
                    await housekeeping.run(client: client, logger: logger, monitor: monitor)
                }
            ])
    }
}

/// The `stitch-gateway` executable.
public enum GatewayMain {
    public static func main() async {
        let settings: GatewaySettings
        do {
            settings = try GatewaySettings()
        } catch {
            ServiceRunner.fail(ServiceName.gateway.rawValue, error)
        }
        // `stitch-gateway dead-letters` and the like answer like every service's and never start a server.
        await ServiceRunner.runOpsCommandIfAsked(GatewayApp.definition(settings: settings))
        let (configuration, logger) = ServiceRunner.bootstrap(ServiceName.gateway.rawValue)
        do {
            try await ServiceRunner.run(GatewayApp.definition(settings: settings), configuration: configuration, logger: logger) { runtime in
                try await companions(settings: settings, runtime: runtime, instance: configuration.instance, logger: logger)
            }
        } catch {
            logger.critical("stopped: \(error)")
            exit(1)
        }
    }

    /// The API server and the board's feed, beside the gateway's messaging runtime (the API stops
    /// after the feed, which ends its streams first; the database stops last).
    static func companions(
        settings: GatewaySettings, runtime: ServiceRuntime, instance: String,
        logger: Logger
    ) async throws -> ServiceRunner.Companions {
        let board = BoardFeed(bus: runtime.bus, instance: instance, logger: logger)
        let router = try await GatewayApp.buildRouter(settings: settings, client: runtime.client, bus: runtime.bus, board: board, logger: logger)
        GatewayWeb.install(on: router, logger: logger)
        // Ready only once the API port listens: migrations and the demo users come first, and a
        // client that waited for /ready must not find the port closed.
        let listening = ListeningFlag()
        var app = Application(
            router: router, configuration: .init(address: .hostname(settings.host, port: settings.port)),
            onServerRunning: { _ in
                listening.set()
                logger.info("gateway listening on \(settings.host):\(settings.port)")
            }, logger: logger)
        let client = runtime.client
        app.beforeServerStarts {
            try await GatewayApp.prepare(settings: settings, client: client, logger: logger)
        }
        return ServiceRunner.Companions(services: [app, board]) { ["api": listening.isSet] }
    }
}

/// Set once the API server listens; read by `/ready`.
final class ListeningFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
