import Contracts
import Foundation
import HTTPTypes
import Hummingbird

/// Who may call an operation. Checked before its handler runs and written into the API document,
/// so the two cannot disagree.
enum Access: Sendable {
    /// No token needed (sign-in, refresh, health).
    case anyone
    /// Any signed-in user; `note` says what the owning service checks besides (a department).
    case signedIn(note: String? = nil)
    /// A signed-in user with one of `roles`; `note` as above.
    case roles([Role], note: String? = nil)

    var roles: [Role]? { if case .roles(let roles, _) = self { roles } else { nil } }

    /// The roles as the document's description says them.
    var summary: String {
        switch self {
        case .anyone: "anyone (no token)"
        case .signedIn(let note): "any signed-in user" + (note.map { " — \($0)" } ?? "")
        case .roles(let roles, let note): roles.map(\.rawValue).joined(separator: ", ") + (note.map { " — \($0)" } ?? "")
        }
    }
}

/// A query with `page` and `per_page` (bounded as `PageRequest` bounds them).
protocol PagedQuery: BoundedInput {
    var page: Int? { get }
    var perPage: Int? { get }
}

extension PagedQuery {
    var pageRequest: PageRequest { PageRequest(page: page ?? 1, perPage: perPage ?? PageRequest.defaultPerPage) }
    var inputProblems: [FieldError] { pageRequest.problems }
}

/// A list with no other parameters than its page.
struct PageQuery: Decodable, Sendable, PagedQuery {
    var page: Int?
    var perPage: Int?
}

/// A route without query parameters / without a body.
struct NoQuery: Decodable, Sendable {}
struct NoBody: Codable, Sendable {}
/// A `text/csv` body (at most 2 MiB of UTF-8) and the format the document states for it: a
/// regular expression that the smallest valid file of its kind matches.
protocol CSVBody: Codable, Sendable {
    var text: String { get }
    init(text: String)
    static var pattern: String { get }
}

extension CSVBody {
    static var maxBytes: Int { 2 * 1024 * 1024 }
    /// Never read as JSON; `APIRoutes` reads the body as text.
    init(from decoder: any Decoder) throws { self.init(text: try decoder.singleValueContainer().decode(String.self)) }
}

/// One call of an operation: its typed query and body, the signed-in user, and the way to the services.
struct Call<Query: Sendable, Body: Sendable>: Sendable {
    let request: Request
    let context: GatewayContext
    let actor: Actor?
    let query: Query
    let body: Body
    let services: ServiceCaller?

    /// A path parameter (`:id`).
    func parameter(_ name: String) throws -> String { try context.parameters.require(name) }

    /// The signed-in user (every operation but `.anyone` ones has one).
    func user() throws(ErrorReply) -> Actor { try context.requireActor() }

    /// For work that takes longer than one request should (an import, a phone's backlog): three times the usual wait.
    var longTimeout: Duration? { services.map { $0.timeout * 3 } }

    /// Sends `request` to its owning service as the signed-in user.
    func send<R: Contracts.Request>(_ request: R, timeout: Duration? = nil) async throws -> R.Reply {
        guard let services else { throw ErrorReply(.unavailable, "No services are configured.") }
        return try await services.send(request, try user(), context, timeout: timeout)
    }
}

/// A group of routes under one path prefix and one tag of the document. Each route is registered
/// here with its types: the router gets the handler, the catalogue gets what the document says
/// about it (`OpenAPIDocument`) — one declaration, so the document cannot drift from the code.
struct APIRoutes {
    let group: RouterGroup<GatewayContext>
    /// The group's path as the document writes it (`/api/v1/production`).
    let prefix: String
    let tag: String
    let catalogue: OperationCatalogue
    let services: ServiceCaller?

    func routes(_ path: String, tag: String) -> APIRoutes {
        APIRoutes(group: group.group(RouterPath(path)), prefix: prefix + "/" + path, tag: tag, catalogue: catalogue, services: services)
    }

    /// An operation without query parameters or a body.
    func add<Reply: Encodable & Sendable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, access: Access, reply: Reply.Type,
        status: HTTPResponse.Status = .ok, _ handler: @escaping @Sendable (Call<NoQuery, NoBody>) async throws -> Reply
    ) {
        register(method, path, summary, access: access, query: NoQuery.self, body: NoBody.self, reply: reply, status: status, handler)
    }

    /// An operation with query parameters (the properties of `Query`).
    func add<Query: Decodable & Sendable, Reply: Encodable & Sendable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, access: Access, query: Query.Type, reply: Reply.Type,
        status: HTTPResponse.Status = .ok, _ handler: @escaping @Sendable (Call<Query, NoBody>) async throws -> Reply
    ) {
        register(method, path, summary, access: access, query: query, body: NoBody.self, reply: reply, status: status, handler)
    }

    /// An operation with a body.
    func add<Body: Codable & Sendable, Reply: Encodable & Sendable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, access: Access, body: Body.Type, reply: Reply.Type,
        status: HTTPResponse.Status = .ok, _ handler: @escaping @Sendable (Call<NoQuery, Body>) async throws -> Reply
    ) {
        register(method, path, summary, access: access, query: NoQuery.self, body: body, reply: reply, status: status, handler)
    }

    /// An operation whose answer is not JSON (`text/event-stream`, a page): the handler writes the
    /// response itself; the document records its media type.
    func addRaw(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, access: Access, media: String,
        _ handler: @escaping @Sendable (Request, GatewayContext) async throws -> Response
    ) {
        group.on(RouterPath(path), method: method) { request, context in
            switch access {
            case .anyone: break
            case .signedIn: _ = try context.requireActor()
            case .roles(let roles, _): _ = try context.require(roles)
            }
            return try await handler(request, context)
        }
        catalogue.add(
            Operation(
                method: method, path: Self.documentPath(prefix, path), summary: summary, tag: tag, access: access,
                status: .ok, callsServices: false, query: NoQuery.self, body: NoBody.self, reply: NoBody.self,
                rawReply: media))
    }

    private func register<Query: Decodable & Sendable, Body: Codable & Sendable, Reply: Encodable & Sendable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, access: Access,
        query: Query.Type, body: Body.Type, reply: Reply.Type, status: HTTPResponse.Status,
        _ handler: @escaping @Sendable (Call<Query, Body>) async throws -> Reply
    ) {
        let services = self.services
        let responder: @Sendable (Request, GatewayContext) async throws -> Response = { request, context in
            let actor: Actor? =
                switch access {
                case .anyone: context.actor
                case .signedIn: try context.requireActor()
                case .roles(let roles, _): try context.require(roles)
                }
            try Self.checkPathParameters(context)
            let query = try QueryDecoder.decode(Query.self, from: QueryParameters(request).values)
            if let problems = (query as? any BoundedInput)?.inputProblems, !problems.isEmpty { throw ErrorReply.validation(problems) }
            let body = try await Self.readBody(Body.self, request)
            let reply = try await handler(
                Call(
                    request: request, context: context, actor: actor, query: query, body: body,
                    services: services))
            if let enveloped = reply as? any Enveloped { return try JSONResponses.json(enveloped, status: status) }
            return try JSONResponses.data(reply, status: status)
        }
        group.on(RouterPath(path), method: method, use: responder)
        catalogue.add(
            Operation(
                method: method, path: Self.documentPath(prefix, path), summary: summary, tag: tag, access: access,
                status: status, callsServices: services != nil, query: Query.self, body: Body.self, reply: Reply.self))
    }

    /// The longest id or code a path may carry (the document says so for every path parameter).
    static let maxPathParameterLength = 200

    /// Ids and codes in the path are held to their documented length before anything looks them up: an
    /// over-long one names nothing, and must not reach a service (or a stored reply) at all.
    static func checkPathParameters(_ context: GatewayContext) throws {
        var problems: [FieldError] = []
        for (name, value) in context.parameters {
            let decoded = String(value).removingPercentEncoding ?? String(value)
            if decoded.count > maxPathParameterLength {
                problems.append(FieldError(field: String(name), message: "must be at most \(maxPathParameterLength) characters"))
            }
        }
        if !problems.isEmpty { throw ErrorReply.validation(problems) }
    }

    /// `:id` → `{id}`, as OpenAPI writes path parameters.
    static func documentPath(_ prefix: String, _ path: String) -> String {
        let joined = path.isEmpty ? prefix : prefix + "/" + path
        return joined.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    static func readBody<Body: Codable>(_ type: Body.Type, _ request: Request) async throws -> Body {
        if let none = NoBody() as? Body { return none }
        if let csv = type as? any CSVBody.Type { return csv.init(text: try await csvText(request)) as! Body }
        if let optional = type as? any OptionalBody.Type,
            request.headers[.contentLength] == "0"
                || (request.headers[.contentLength] == nil && request.headers[.contentType] == nil)
        {
            return optional.absent as! Body
        }
        return try await request.decodeJSON(type)
    }

    private static func csvText(_ request: Request) async throws -> String {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 2 * 1024 * 1024)
        } catch {
            throw ErrorReply(.malformed, "The CSV is larger than 2048 KiB.")
        }
        guard buffer.readableBytes > 0 else { throw ErrorReply.validation([FieldError(field: "body", message: "send the CSV as text/csv")]) }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw ErrorReply.validation([FieldError(field: "body", message: "must be UTF-8 text")])
        }
        return text
    }
}

/// A body that may be left out altogether (`T?`): then the handler gets nil.
protocol OptionalBody { static var absent: Self { get } }
extension Optional: OptionalBody { static var absent: Self { nil } }

/// A reply that is its own envelope (`{"data": …, "meta": …}`) instead of being wrapped in `{"data": …}`.
protocol Enveloped: Encodable {}

/// One page of a list as the API answers it: `{"data": [...], "meta": {page, per_page, total}}`.
struct Listed<Item: Encodable & Sendable>: Enveloped, Sendable {
    var data: [Item]
    var meta: JSONResponses.Meta

    init<Source>(_ page: Page<Source>, _ transform: (Source) -> Item) {
        data = page.items.map(transform)
        meta = JSONResponses.Meta(page)
    }

    init(_ page: Page<Item>) where Item: Codable {
        data = page.items
        meta = JSONResponses.Meta(page)
    }
}

/// A report that pages like a list but holds more than the items: `{"data": {...}, "meta": {...}}`.
struct Paged<Value: Encodable & Sendable>: Enveloped, Sendable {
    var data: Value
    var meta: JSONResponses.Meta
}

/// What the document says about one operation; kept by the catalogue as the routes are registered.
struct Operation: @unchecked Sendable {  // the `Any.Type`s are immutable metatypes
    var method: HTTPRequest.Method
    var path: String
    var summary: String
    var tag: String
    var access: Access
    var status: HTTPResponse.Status
    /// It sends a message to a service (so 503 and 504 are possible).
    var callsServices: Bool
    var query: any Decodable.Type
    var body: any Decodable.Type
    var reply: any Encodable.Type
    /// A reply that is not JSON (`text/plain`, `text/html`), with its media type.
    var rawReply: String? = nil
}

/// Every operation registered, in order. Filled while the router is built, read after.
final class OperationCatalogue: @unchecked Sendable {  // written by the one task that builds the router, then only read
    private(set) var operations: [Operation] = []
    func add(_ operation: Operation) { operations.append(operation) }
}
