import Contracts
import HTTPTypes
import Hummingbird
import Synchronization

/// A path the API serves asked with a method it does not serve is 405 with an `Allow` header listing the
/// methods it does (RFC 9110 §15.5.6), not 404: a client (or a generated one) learns it has the right
/// resource and the wrong verb. Hummingbird's router answers both with its not-found responder, so this
/// looks the path up in the routes the router was built with (`RouteMethods.load`).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let routes: RouteMethods

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(for: request.uri.path)
            // A route that matched and answered 404 itself is a 404 (its method is among those allowed).
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            var response = JSONResponses.error(
                ErrorReply(.methodNotAllowed, "\(request.method.rawValue) is not served at \(request.uri.path); it serves \(list)."),
                requestId: context.requestId)
            response.headers[.allow] = list
            return response
        }
    }
}

/// The methods served at each route's path; loaded once the router holds every route.
final class RouteMethods: Sendable {
    private let table = Mutex<[(path: RouterPath, methods: [HTTPRequest.Method])]>([])

    func load(_ routes: [Router<GatewayContext>.RouteDescription]) {
        var byPath: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]
        for route in routes { byPath[route.path.description, default: (route.path, [])].methods.append(route.method) }
        table.withLock { $0 = Array(byPath.values) }
    }

    /// The methods served at `path` (in a stable order), none when no route matches it. Where several
    /// routes match (`spks/:id` and `spks/import`), the router takes the one with literal segments first,
    /// and so does this.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = table.withLock { table in table.filter { Self.matches($0.path, segments) } }
        func literals(_ route: RouterPath) -> [Int] { route.components.map { $0 == $0.description ? 1 : 0 } }
        guard let best = matching.map({ literals($0.path) }).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        let found = Set(matching.filter { literals($0.path) == best }.flatMap(\.methods))
        return found.sorted { $0.rawValue < $1.rawValue }
    }

    static func matches(_ route: RouterPath, _ segments: [Substring]) -> Bool {
        let elements = route.components
        if let last = elements.last, last == .recursiveWildcard {
            guard segments.count >= elements.count - 1 else { return false }
            return zip(elements.dropLast(), segments).allSatisfy { $0 ~= $1 }
        }
        return elements.count == segments.count && zip(elements, segments).allSatisfy { $0 ~= $1 }
    }
}
