import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import ServiceKit
import ServiceLifecycle

/// The web board on the gateway: the push stream `GET /api/v1/ppic/stream`, the pages
/// (`/`, `/line.html`, `/scan.html`, with `/line` and `/scan` leading to them) and their files.
///
/// Call after `GatewayApp.buildRouter` (the API's middleware — request ids, CORS, metrics, input
/// checks — is already on the router and so wraps these too; the files are looked up only for a GET
/// that no route answers) and run the returned service in the gateway's group *after* the
/// application, so that on shutdown it goes first and ends the browsers' streams.
///
/// Settings: `STITCH_WEB_ROOT` — the folder of the pages (default: `Services/Gateway/Web` of the
/// checkout). Without it the API is unchanged and the pages answer 404.
public enum GatewayWeb {
    public static func install(on router: Router<GatewayContext>, settings: GatewaySettings, bus: any MessageBus, instance: String,
                               logger: Logger, environment: EnvironmentReader = EnvironmentReader()) async -> any Service {
        let feed = BoardFeed(bus: bus, instance: instance, logger: logger)
        let tokens = await TokenService(secret: settings.jwtSecret, accessLifetime: settings.accessTokenLifetime)
        BoardStreamController(feed: feed).register(on: router.group("api/v1/ppic").add(middleware: AuthMiddleware(tokens: tokens)))
        router.get("line") { _, _ in Response.redirect(to: "/line.html", type: .found) }
        router.get("scan") { _, _ in Response.redirect(to: "/scan.html", type: .found) }
        if let root = WebPagesMiddleware.root(environment: environment) {
            logger.info("web board: serving \(root)")
            router.add(middleware: WebPagesMiddleware(root: root, logger: logger))
        } else {
            logger.warning("web board: no pages found (set STITCH_WEB_ROOT to the folder holding index.html); the API is unaffected")
        }
        return feed
    }
}
