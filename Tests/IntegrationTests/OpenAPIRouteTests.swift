import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Testing

@testable import Gateway

/// `/openapi.json` is rendered from the routes as registered and the Swift types they decode and
/// encode; these tests hold it to the router and to what a client generator needs.
@Suite struct OpenAPIRouteTests {
    /// The gateway's router (never connected: building it needs a client, not a connection) and
    /// `GET path` answered by it.
    static func fetch(_ path: String) async throws -> (router: Router<GatewayContext>, body: Data) {
        let logger = Logger(label: "openapi-routes")
        let settings = try GatewaySettings(environment: EnvironmentReader(["STITCH_ENV": "development", "STITCH_BCRYPT_COST": "4"]))
        let client = PostgresClient(
            configuration: .init(host: "127.0.0.1", username: "unused", password: nil, database: nil, tls: .disable),
            backgroundLogger: logger)
        let bus = InMemoryMessageBus()
        let router = try await GatewayApp.buildRouter(
            settings: settings, client: client, bus: bus,
            board: BoardFeed(bus: bus, instance: "openapi-test", logger: logger), logger: logger)
        let body = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                return Data(buffer: response.body)
            }
        }
        return (router, body)
    }

    static func document() async throws -> (router: Router<GatewayContext>, json: [String: Any]) {
        let (router, body) = try await fetch("/openapi.json")
        return (router, try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any]))
    }

    @Test("every route the gateway serves is in /openapi.json, and every documented route is served")
    func documentMatchesRouter() async throws {
        let (router, document) = try await Self.document()
        func key(_ method: String, _ path: String) -> String {
            let parts = path.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "{}" : String($0) }
            return "\(method.uppercased()) /\(parts.joined(separator: "/"))"
        }
        let served = Set(router.routes.map { key($0.method.rawValue, $0.path.description) })
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in item.keys.map { key($0, path) } })
        #expect(served.count > 50)
        #expect(served.subtracting(documented).sorted() == [], "served but not in /openapi.json (or its types could not be described)")
        #expect(documented.subtracting(served).sorted() == [], "in /openapi.json but not served")
    }

    @Test("each operation has its schemas, errors, tag, roles and security; references resolve")
    func operationsAreComplete() async throws {
        let (_, document) = try await Self.document()
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var operationIds: Set<String> = []
        for (path, item) in paths {
            for (method, operation) in item {
                let name = "\(method.uppercased()) \(path)"
                #expect(operationIds.insert(operation["operationId"] as? String ?? "").inserted, "\(name): operationId repeats")
                #expect((operation["tags"] as? [String])?.count == 1, "\(name): one tag")
                #expect((operation["description"] as? String)?.hasPrefix("Roles: ") == true, "\(name): roles")
                let responses = try #require(operation["responses"] as? [String: [String: Any]], "\(name)")
                let success = try #require(responses.first { $0.key.hasPrefix("2") }?.value, "\(name): a 2xx")
                #expect(success["content"] != nil, "\(name): the 2xx has a schema")
                if path.hasPrefix("/api/") {
                    #expect(responses["400"] != nil && responses["401"] != nil, "\(name): 400 and 401")
                }
                if ["post", "put", "delete"].contains(method) && path.hasPrefix("/api/") {
                    let headers = (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "header" }
                    #expect(headers.contains { $0["name"] as? String == "Idempotency-Key" }, "\(name): Idempotency-Key")
                }
            }
        }
        // Every reference names a schema that exists.
        var references: Set<String> = []
        func collect(_ node: Any) {
            if let object = node as? [String: Any] {
                if let target = object["$ref"] as? String { references.insert(target) }
                object.values.forEach(collect)
            } else if let array = node as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(references.count > 20)
        for reference in references {
            #expect(
                reference.hasPrefix("#/components/schemas/") && schemas[String(reference.dropFirst(21))] != nil,
                "$ref \(reference) has no schema")
        }
        if let path = ProcessInfo.processInfo.environment["STITCH_OPENAPI_OUT"] {  // for a look at the whole document
            try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test("sign-in needs no token; a daily input's body has its types, required fields, enums and the bounds the checks enforce")
    func schemasSayWhatTheHandlersEnforce() async throws {
        let (_, document) = try await Self.document()
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        for open in ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"] {
            #expect((paths[open]?["post"]?["security"] as? [Any])?.isEmpty == true, "\(open) needs no token")
        }
        #expect((paths["/health"]?["get"]?["security"] as? [Any])?.isEmpty == true)
        #expect(paths["/api/v1/production/spks"]?["post"]?["security"] != nil)

        func resolve(_ schema: Any?) -> [String: Any]? {
            guard let schema = schema as? [String: Any] else { return nil }
            if let reference = schema["$ref"] as? String { return schemas[String(reference.split(separator: "/").last!)] }
            return schema
        }
        let input = paths["/api/v1/production/spk/{id}/daily-input"]?["post"]
        let body = resolve(((input?["requestBody"] as? [String: Any])?["content"] as? [String: [String: Any]])?["application/json"]?["schema"])
        let entry = try #require(body)
        #expect(Set(entry["required"] as? [String] ?? []) == ["date", "qty"])
        let properties = try #require(entry["properties"] as? [String: [String: Any]])
        #expect(properties["date"]?["format"] as? String == "date")
        #expect(properties["qty"]?["type"] as? String == "integer")
        #expect(properties["qty"]?["minimum"] as? Int == 0)
        #expect(properties["qty"]?["maximum"] as? Int == DailyInputEntry.maxQty)
        #expect(properties["shift"]?["enum"] as? [String] == Shift.allCases.map(\.rawValue))
        #expect(properties["notes"]?["maxLength"] as? Int == InputRules.maxFreeTextLength)
        #expect(properties["operator_id"]?["maxLength"] as? Int == InputRules.maxTextLength)

        // The reply: the envelope and the real payload.
        let ok = (input?["responses"] as? [String: [String: Any]])?["200"]
        let reply = try #require(((ok?["content"] as? [String: [String: Any]])?["application/json"]?["schema"]) as? [String: Any])
        #expect(reply["required"] as? [String] == ["data"])
        let result = try #require(resolve((reply["properties"] as? [String: Any])?["data"]))
        #expect(Set(result["required"] as? [String] ?? []).isSuperset(of: ["entry_id", "cumulative", "target", "spk_status"]))

        // Lists: typed, bounded query parameters and the meta of a page.
        let list = try #require(paths["/api/v1/production/spks"]?["get"])
        let parameters = try #require(list["parameters"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: parameters.map { ($0["name"] as! String, $0["schema"] as! [String: Any]) })
        #expect(byName["per_page"]?["maximum"] as? Int == PageRequest.maxPerPage)
        #expect(byName["page"]?["maximum"] as? Int == InputRules.pages.upperBound)
        #expect(byName["stage"]?["enum"] as? [String] == Stage.allCases.map(\.rawValue))
        #expect(byName["due_before"]?["format"] as? String == "date")
        let listReply = ((list["responses"] as? [String: [String: Any]])?["200"]?["content"] as? [String: [String: Any]])?["application/json"]?[
            "schema"]
        let listed = try #require(resolve(listReply))
        #expect(Set(listed["required"] as? [String] ?? []) == ["data", "meta"])
    }

    @Test("/docs shows every tag and the schemas, with nothing loaded from elsewhere")
    func docsPage() async throws {
        let (_, body) = try await Self.fetch("/docs")
        let page = String(decoding: body, as: UTF8.self)
        for tag in OpenAPIDocument.tags.map(\.name) { #expect(page.contains(">\(DocsPage.escape(tag))</h2>"), "\(tag)") }
        #expect(page.contains("id=\"schemas\""))
        #expect(page.contains("/api/v1/production/spk/{id}/daily-input"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))
    }
}
