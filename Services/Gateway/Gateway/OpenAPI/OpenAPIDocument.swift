import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Messaging
import Synchronization

/// `GET /openapi.json` (OpenAPI 3.1): rendered from the operations as they were registered
/// (`APIRoutes`) and the schemas of their Swift types (`SchemaCatalog`) — nothing here is written
/// twice. `/docs` shows the same document to a person (`DocsPage`).
struct OpenAPIDocument: Sendable {
    let json: Data
    let document: JSONValue
    /// Operations whose types could not be described (a unit test expects none).
    let problems: [String]

    static let tags: [(name: String, description: String)] = [
        ("Auth", "Sign in, rotating refresh tokens, sign out"),
        ("Users", "User accounts and roles"),
        ("Production", "SPKs (work orders), daily input, orders, shifts, phones"),
        ("Approval", "Quantity changes and material debt, approved level by level"),
        ("PPIC", "Planners' read model: dashboard, daily summary, health, alerts"),
        ("Master data", "Materials and articles"),
        ("BOM", "Versioned bills of materials"),
        ("Costing", "Standard cost and variance (money: FINANCE, MANAGER, ADMIN)"),
        ("Inventory", "Locations, balances, the movement ledger, material to the line"),
        ("Finished goods", "Cartons, shipments, customer returns"),
        ("Quality", "Defect codes, final (AQL) inspections that gate cartons, incoming inspection, NCRs"),
        ("Meta", "Health and this document"),
    ]

    init(_ catalogue: OperationCatalogue) {
        let catalog = SchemaCatalog()
        var problems: [String] = []
        var paths: [String: JSONValue] = [:]
        let errorSchema = (try? catalog.output(JSONResponses.ErrorBody.self)) ?? [:]
        for operation in catalogue.operations {
            do {
                var item = paths[operation.path] ?? [:]
                item[operation.method.rawValue.lowercased()] = try Self.describe(operation, catalog, errorSchema: errorSchema)
                paths[operation.path] = item
            } catch {
                problems.append("\(operation.method.rawValue) \(operation.path): \(error)")
            }
        }
        let (schemas, rename) = catalog.resolvedComponents()
        let document: JSONValue = [
            "openapi": "3.1.0",
            "info": [
                "title": "Stitch API", "version": "1.0.0",
                "description": .string(
                    """
                    Production control for sewn-goods factories. JSON with snake_case keys, dates as YYYY-MM-DD, \
                    timestamps in UTC (ISO 8601). Success: {"data": …} (lists add "meta": {page, per_page, total}); \
                    errors: {"error": {code, message, details: [{field, message}], request_id}}. Every POST, PUT, PATCH and \
                    DELETE accepts an Idempotency-Key, bound to the request it first came with (method, path with its \
                    values and query, the JSON body with its keys sorted, the user): the same key with the same request \
                    returns the first outcome and applies nothing twice; the same key with another request is 422 \
                    IDEMPOTENCY_KEY_REUSED and changes nothing. A request answered 4xx changed nothing and frees its \
                    key. Keys are remembered for \(Housekeeping.defaultClientKeyRetentionDays) days. A method a path \
                    does not serve is 405 with an Allow header. \
                    \(InputRules.dateRuleDescription) \
                    Quantities are bounded where they enter (an SPK or an order at most \(InputRules.quantity.upperBound), \
                    a daily entry at most \(DailyInputEntry.maxQty) good and as many rejected); every total, sum and count \
                    the API returns is a 64-bit integer (int64), computed in 64 bits: \(InputRules.quantity.upperBound) \
                    times 900 billion rows still fits, so no amount of legal data can overflow a report.
                    """),
            ],
            "servers": [["url": "/"]],
            "tags": .array(Self.tags.map { ["name": .string($0.name), "description": .string($0.description)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
            ],
        ]
        let final = Self.withoutUnusedSchemas(document.rewritingReferences(rename))
        self.document = final
        self.json = final.serialized()
        self.problems = problems
    }

    private static func describe(_ operation: Operation, _ catalog: SchemaCatalog, errorSchema: JSONValue) throws -> JSONValue {
        var result: JSONValue = [
            "operationId": .string(operationId(operation)),
            "summary": .string(operation.summary),
            "description": .string("Roles: \(operation.access.summary)."),
            "tags": [.string(operation.tag)],
        ]
        if case .anyone = operation.access { result["security"] = [] } else { result["security"] = [["bearer": []]] }

        var parameters: [JSONValue] = pathParameters(operation.path)
        parameters += try catalog.queryParameters(operation.query)
        let changes = operation.method != .get && operation.method != .head
        if changes && operation.path.hasPrefix("/api/") {
            parameters.append([
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description": """
                Repeating this request with the same key returns the first outcome; nothing is applied twice. The \
                key is bound to this request: sent with another one it is 422 IDEMPOTENCY_KEY_REUSED.
                """,
                "schema": ["type": "string", "pattern": .string(InputCheckMiddleware.idempotencyKeyPattern)],
            ])
        }
        if !parameters.isEmpty { result["parameters"] = .array(parameters) }

        if let body = try requestBody(operation.body, catalog) { result["requestBody"] = body }

        var responses: [String: JSONValue] = [:]
        let success: JSONValue
        if let media = operation.rawReply {
            let schema: JSONValue = media.hasSuffix("json") ? ["type": "object"] : ["type": "string"]
            success = ["description": "Success", "content": .object([media: ["schema": schema]])]
        } else {
            success = ["description": "Success", "content": ["application/json": ["schema": try replySchema(operation.reply, catalog)]]]
        }
        responses[String(operation.status.code)] = success
        for (code, description) in errorResponses(operation) {
            responses[code] = ["description": .string(description), "content": ["application/json": ["schema": errorSchema]]]
        }
        result["responses"] = .object(responses)
        return result
    }

    /// The document with only the schemas an operation reaches (replies are sampled by decoding
    /// their types, which describes them as inputs too; those descriptions are not part of the API).
    static func withoutUnusedSchemas(_ document: JSONValue) -> JSONValue {
        guard case .object(let schemas)? = document["components"]?["schemas"] else { return document }
        func references(_ node: JSONValue) -> [String] {
            switch node {
            case .object(let fields):
                let own = fields["$ref"]?.stringValue.map { [String($0.split(separator: "/").last ?? "")] } ?? []
                return own + fields.values.flatMap(references)
            case .array(let items): return items.flatMap(references)
            default: return []
            }
        }
        var used: Set<String> = []
        var pending = references(document["paths"] ?? [:])
        while let name = pending.popLast() {
            guard used.insert(name).inserted, let schema = schemas[name] else { continue }
            pending += references(schema)
        }
        var result = document
        result["components"]?["schemas"] = .object(schemas.filter { used.contains($0.key) })
        return result
    }

    /// `postProductionSpkIdDailyInput`: the method and the path after `/api/v1`, in camel case.
    static func operationId(_ operation: Operation) -> String {
        let path = operation.path.replacingOccurrences(of: "/api/v1/", with: "/")
        let words = path.split(whereSeparator: { "/-_{}.".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return operation.method.rawValue.lowercased() + words.joined()
    }

    private static func pathParameters(_ path: String) -> [JSONValue] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            let name = String(segment.dropFirst().dropLast())
            return [
                "name": .string(name), "in": "path", "required": true,
                "description": .string(name == "id" ? "The id or the code" : name == "code" ? "The code" : "The id"),
                // Ids and codes are short; the whole path is held to InputRules.maxTextLength.
                "schema": [
                    "type": "string", "minLength": 1, "maxLength": .int(APIRoutes.maxPathParameterLength),
                    "pattern": #"^[^\u0000-\u001F\u007F-\u009F/?#%]+$"#,
                ],
            ]
        }
    }

    private static func requestBody(_ type: any Decodable.Type, _ catalog: SchemaCatalog) throws -> JSONValue? {
        if type == NoBody.self { return nil }
        if let csv = type as? any CSVBody.Type {
            return [
                "required": true,
                "content": [
                    "text/csv": [
                        "schema": [
                            "type": "string", "maxLength": .int(csv.maxBytes),
                            "pattern": .string(csv.pattern),
                        ]
                    ]
                ],
            ]
        }
        let optional = type is any OptionalBody.Type
        return ["required": .bool(!optional), "content": ["application/json": ["schema": try catalog.input(type)]]]
    }

    private static func replySchema(_ type: any Encodable.Type, _ catalog: SchemaCatalog) throws -> JSONValue {
        if type is any Enveloped.Type { return try catalog.output(type) }
        return ["type": "object", "required": ["data"], "properties": ["data": try catalog.output(type)]]
    }

    /// The errors an operation can answer, by what it does: every one may be malformed (400); one
    /// behind a token may be 401 (and 403 when roles or a department decide); one that reaches a
    /// service may not find what it names (404), find it in the wrong state (409), break a rule
    /// (422), or find the service down (503) or slow (504).
    static func errorResponses(_ operation: Operation) -> [(String, String)] {
        guard operation.path.hasPrefix("/api/") else { return [] }
        var errors: [(String, String)] = [
            ("400", "Malformed request or invalid fields (error.details names each)"),
            ("401", "No token, a bad or expired one, or wrong credentials"),
        ]
        if case .anyone = operation.access {
            if operation.path.hasSuffix("/login") { errors.append(("429", "Too many failed sign-ins; try later")) }
        } else {
            errors.append(("403", "The user's roles or department do not allow it"))
        }
        errors.append(("404", "Not found"))
        if operation.method != .get { errors.append(("409", "The state does not allow it (e.g. a user name taken, an SPK on hold)")) }
        if operation.callsServices {
            errors += [
                ("409", "The state does not allow it"),
                ("422", "A business rule is broken (error.message says which), or the Idempotency-Key was used for another request"),
                ("503", "A service is unavailable; try again"), ("504", "No reply in time; repeat with the same Idempotency-Key"),
            ]
        }
        if operation.method != .get { errors.append(("422", "The Idempotency-Key was used for another request (IDEMPOTENCY_KEY_REUSED)")) }
        var seen: Set<String> = []
        return errors.filter { seen.insert($0.0).inserted }
    }
}

extension SchemaCatalog {
    /// A query type's properties as query parameters, with the bounds its checks apply.
    func queryParameters(_ type: any Decodable.Type) throws -> [JSONValue] {
        if type == NoQuery.self { return [] }
        let node = ShapeNode()
        let sample = try type.init(from: ShapeDecoder(node: node, catalog: self, codingPath: []))
        let bounds = (sample as? any BoundedInput).map(BoundsRecorder.bounds(of:)) ?? []
        return node.propertyOrder.map { name in
            var schema = node.properties[name] ?? [:]
            for bound in bounds where bound.field == name {
                if let minimum = bound.minimum { schema["minimum"] = .number(minimum) }
                if let maximum = bound.maximum { schema["maximum"] = .number(maximum) }
                if let pattern = bound.pattern { schema["pattern"] = .string(pattern) }
            }
            return ["name": .string(name), "in": "query", "required": .bool(node.required.contains(name)), "schema": schema]
        }
    }
}

extension Listed: DocumentedSample {
    static func documentationSample(_ catalog: SchemaCatalog) throws -> Listed<Item> {
        var listed = Listed(Page<Int>(items: [], page: 1, perPage: 50, total: 1)) { _ in fatalError("no items") }
        listed.data = [try catalog.outputSample(Item.self)]
        return listed
    }
}

extension Paged: DocumentedSample {
    static func documentationSample(_ catalog: SchemaCatalog) throws -> Paged<Value> {
        Paged(data: try catalog.outputSample(Value.self), meta: try catalog.sample(JSONResponses.Meta.self))
    }
}

extension JSONResponses.ErrorBody: DocumentedSample {
    static func documentationSample(_ catalog: SchemaCatalog) throws -> JSONResponses.ErrorBody {
        .init(
            error: .init(
                code: "VALIDATION_FAILED", message: "qty must be between 0 and 1000000",
                details: [FieldError(field: "qty", message: "must be between 0 and 1000000")], requestId: "…"))
    }
}

extension OpenAPIDocument {
    /// `/health`, `/openapi.json` and `/docs`, each in the document too; the document is rendered
    /// once, after every other route is registered.
    static func serve(on router: Router<GatewayContext>, catalogue: OperationCatalogue, logger: Logger) {
        let meta = APIRoutes(group: router.group(), prefix: "", tag: "Meta", catalogue: catalogue, services: nil)
        meta.addRaw(.get, "health", "The gateway is alive", access: .anyone, media: "text/plain") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let document = Lazy(catalogue: catalogue, logger: logger)
        meta.addRaw(.get, "openapi.json", "This document (OpenAPI 3.1)", access: .anyone, media: "application/json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: document.value.json)))
        }
        meta.addRaw(
            .get, "docs", "This document for a person: operations by tag, their roles and schemas", access: .anyone,
            media: "text/html"
        ) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: document.value.page)))
        }
        _ = document.value
    }

    /// The document and its page, rendered once the catalogue is complete (the routes that serve them
    /// are in the catalogue too, so they are registered first), and again when the factory's day
    /// changes: the dates a client may send move with it (`Leaf.datePattern`).
    private final class Lazy: Sendable {
        let catalogue: OperationCatalogue
        let logger: Logger
        private let rendered = Mutex<(day: LocalDate, json: Data, page: String)?>(nil)

        init(catalogue: OperationCatalogue, logger: Logger) {
            self.catalogue = catalogue
            self.logger = logger
        }

        var value: (json: Data, page: String) {
            let today = InputRules.today
            return rendered.withLock { rendered in
                if let current = rendered, current.day == today { return (current.json, current.page) }
                let document = OpenAPIDocument(catalogue)
                for problem in document.problems { logger.error("API document: \(problem)") }
                rendered = (today, document.json, DocsPage.render(document.document))
                return (document.json, rendered!.page)
            }
        }
    }
}
