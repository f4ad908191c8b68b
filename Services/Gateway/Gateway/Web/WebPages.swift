import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

/// The web board's static files (HTML, CSS, JavaScript modules, the service worker), served from
/// a folder by Hummingbird's `FileMiddleware` for any GET that no API route answers: `/` is the PPIC
/// board, `/line.html` the line's phone page, `/scan.html` the warehouse scan page. Every file is
/// revalidated on each load (`Cache-Control: no-cache` with the ETag and Last-Modified that
/// `FileMiddleware` sets: a 304 costs one small round trip, a deployment is seen at once) and carries
/// a Content-Security-Policy that allows nothing but this origin — no inline script, no CDN.
struct WebPagesMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let files: FileMiddleware<GatewayContext, LocalFileSystem>

    static let securityHeaders: [(HTTPField.Name, String)] = [
        (
            .contentSecurityPolicy,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        ),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (.cacheControl, "no-cache"),
    ]

    init(root: String, logger: Logger) {
        files = FileMiddleware(root, searchForIndexHtml: true, logger: logger)
            .withAdditionalMediaType(MediaType(type: .application, subType: "manifest+json"), mappedToFileExtension: "webmanifest")
            .withAdditionalMediaType(
                MediaType(type: .text, subType: "javascript", parameter: ("charset", "utf-8")),
                mappedToFileExtension: "js")
    }

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var response = try await files.handle(request, context: context, next: next)
        if context.coreContext.endpointPath.value == "FileMiddleware" {
            for (name, value) in Self.securityHeaders { response.headers[name] = value }
        }
        return response
    }

    /// `STITCH_WEB_ROOT`, or the checkout's `Services/Gateway/Web` found from the working directory
    /// or from the executable (`.build/<config>/stitch-gateway`), or `/usr/share/stitch/web`.
    static func root(environment: EnvironmentReader) -> String? {
        if let configured = environment.optional("STITCH_WEB_ROOT") { return configured }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Services/Gateway/Web"),
            executable.appendingPathComponent("../../Services/Gateway/Web").standardizedFileURL,
            executable.appendingPathComponent("../../../Services/Gateway/Web").standardizedFileURL,
            URL(fileURLWithPath: "/usr/share/stitch/web"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("index.html").path) }?.path
    }
}
