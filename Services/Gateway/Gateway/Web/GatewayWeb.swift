import Contracts
import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The web board's pages on the gateway (`/`, `/line.html`, `/scan.html`, with `/line` and `/scan`
/// leading to them) and their files. Its push stream, `GET /api/v1/ppic/stream`, is an API route
/// (`GatewayApp.buildRouter` registers it with the board's `BoardFeed`).
///
/// Call after `GatewayApp.buildRouter` (the API's middleware — request ids, CORS, metrics, input
/// checks — is already on the router and so wraps these too; the files are looked up only for a GET
/// that no route answers).
///
/// Settings: `STITCH_WEB_ROOT` — the folder of the pages (default: `Services/Gateway/Web` of the
/// checkout). Without it the API is unchanged and the pages answer 404.
public enum GatewayWeb {
    public static func install(on router: Router<GatewayContext>, logger: Logger, environment: EnvironmentReader = EnvironmentReader()) {
        router.get("line") { _, _ in Response.redirect(to: "/line.html", type: .found) }
        router.get("scan") { _, _ in Response.redirect(to: "/scan.html", type: .found) }
        if let root = WebPagesMiddleware.root(environment: environment) {
            logger.info("web board: serving \(root)")
            router.add(middleware: WebPagesMiddleware(root: root, logger: logger))
        } else {
            logger.warning("web board: no pages found (set STITCH_WEB_ROOT to the folder holding index.html); the API is unaffected")
        }
    }
}
