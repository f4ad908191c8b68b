import Contracts
import Foundation
import HTTPTypes
import Testing

@testable import Gateway

/// Issue 23, item 1: an Idempotency-Key names one request. The same key with the same request answers
/// the first outcome; with another request it is 422 and changes nothing.
extension ProductionHTTPTests {
    static func keyed(_ key: String) -> HTTPFields { [HTTPField.Name("Idempotency-Key")!: key] }

    static func spkBody(_ article: String, _ qty: Int) -> [String: Any] {
        [
            "article_code": article, "stage": "sewing", "department": "SEWING", "original_qty": qty,
            "start_date": factoryDay(), "due_date": factoryDay(5),
        ]
    }

    static func spkTotal(_ http: HTTPClient, token: String) async throws -> Int {
        let list = try await http.call(.get, "/api/v1/production/spks?per_page=1", token: token)
        return (list.body["meta"] as? [String: Any])?["total"] as? Int ?? -1
    }

    @Test("the same Idempotency-Key with another body, path or method is 422 IDEMPOTENCY_KEY_REUSED and creates nothing")
    func reusedKeyIsRefused() async throws {
        try await withStack { http in
            try await http.ensureArticle("BEAR-30CM")
            try await http.ensureArticle("KOALA-25CM")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let key = "phone-\(UUID().uuidString)"
            let first = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: Self.spkBody("bear-30cm", 100),
                headers: Self.keyed(key))
            #expect(first.status == 201, "\(first.body)")
            let total = try await Self.spkTotal(http, token: ppic)

            // Another body under the same key: refused, naming the header, and nothing is created.
            let other = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: Self.spkBody("koala-25cm", 777),
                headers: Self.keyed(key))
            #expect(other.status == 422 && other.error["code"] as? String == "IDEMPOTENCY_KEY_REUSED", "\(other.body)")
            #expect(other.errorFields == ["Idempotency-Key"])
            #expect(try await Self.spkTotal(http, token: ppic) == total)

            // The same request again is the first outcome, not a second SPK.
            let again = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: Self.spkBody("bear-30cm", 100),
                headers: Self.keyed(key))
            #expect(again.status == 201 && again.data["code"] as? String == first.data["code"] as? String, "\(again.body)")
            #expect(try await Self.spkTotal(http, token: ppic) == total)

            // Another path and method under the same key: an archive of a BOM that does not exist is not "200 archived".
            let archive = try await http.call(
                .delete, "/api/v1/bom/00000000-0000-0000-0000-000000000000", token: ppic,
                headers: Self.keyed(key))
            #expect(archive.status == 422 && archive.error["code"] as? String == "IDEMPOTENCY_KEY_REUSED", "\(archive.body)")

            // A key is the user's own: another user's same key is a request of its own.
            let manager = try await http.login("prod_manager", "prodmgr-dev-123")
            let theirs = try await http.call(
                .post, "/api/v1/production/spks", token: manager, json: Self.spkBody("koala-25cm", 5),
                headers: Self.keyed(key))
            #expect(theirs.status == 201 && theirs.data["code"] as? String != first.data["code"] as? String, "\(theirs.body)")
        }
    }

    @Test("a request refused with a 4xx frees its Idempotency-Key: the corrected request may use it")
    func refusedRequestFreesItsKey() async throws {
        try await withStack { http in
            try await http.ensureArticle("BEAR-30CM")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let key = "retry-\(UUID().uuidString)"
            let bad = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: Self.spkBody("bear-30cm", -1),
                headers: Self.keyed(key))
            #expect(bad.status == 400 && bad.errorFields == ["original_qty"], "\(bad.body)")
            let fixed = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: Self.spkBody("bear-30cm", 10),
                headers: Self.keyed(key))
            #expect(fixed.status == 201, "\(fixed.body)")
            let repeated = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: Self.spkBody("bear-30cm", 10),
                headers: Self.keyed(key))
            #expect(repeated.data["code"] as? String == fixed.data["code"] as? String)
        }
    }

    @Test("a client_entry_id names one entry: the same entry again is a duplicate, another entry under it is 422")
    func clientEntryIdNamesOneEntry() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let code = try #require(try await Self.newSPK(http, token: ppic)["code"] as? String)
            let id = UUID().uuidString
            let entry: [String: Any] = ["date": factoryDay(), "qty": 7, "client_entry_id": id]
            let first = try await http.call(.post, "/api/v1/production/spk/\(code)/daily-input", token: staff, json: entry)
            #expect(first.status == 200, "\(first.body)")
            let again = try await http.call(.post, "/api/v1/production/spk/\(code)/daily-input", token: staff, json: entry)
            #expect(again.data["entry_id"] as? String == first.data["entry_id"] as? String, "\(again.body)")
            let other = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(), "qty": 70, "client_entry_id": id])
            #expect(other.status == 422 && other.errorFields == ["client_entry_id"], "\(other.body)")
            // The phone's backlog answers it the same way, entry by entry.
            let batch = try await http.call(
                .post, "/api/v1/production/mobile/daily-input", token: staff,
                json: [
                    "entries": [
                        ["spk_id": code, "date": factoryDay(), "qty": 7, "client_entry_id": id],
                        ["spk_id": code, "date": factoryDay(), "qty": 8, "client_entry_id": id],
                    ]
                ])
            #expect(
                (batch.body["data"] as? [[String: Any]] ?? []).map { $0["status"] as? String } == ["duplicate", "rejected"],
                "\(batch.body)")
            let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: staff)
            #expect(progress.data["cumulative"] as? Int == 7, "\(progress.body)")
        }
    }

    /// Every operation of the document that changes something, under one key already used: each is 422 at
    /// once, whatever its body, role or path — and not one row anywhere changes.
    @Test("one Idempotency-Key across every POST, PUT, PATCH and DELETE of the document: the first succeeds, all others are 422")
    func oneKeyAcrossEveryOperation() async throws {
        try await withStack { http in
            try await http.ensureArticle("BEAR-30CM")
            let admin = try await http.login("admin", "admin-dev-123")
            let key = "everywhere-\(UUID().uuidString)"
            let first = try await http.call(
                .post, "/api/v1/production/spks", token: admin, json: Self.spkBody("bear-30cm", 3),
                headers: Self.keyed(key))
            #expect(first.status == 201, "\(first.body)")
            // The SPK's events have reached their followers (the counts stand still) before anything is counted.
            let settled = try await eventually {
                let earlier = try await Self.rowCounts(http)
                try await Task.sleep(for: .milliseconds(500))
                let later = try await Self.rowCounts(http)
                return later == earlier
            }
            #expect(settled)
            let before = try await Self.rowCounts(http)

            let document = try await http.call(.get, "/openapi.json")
            let paths = try #require(document.body["paths"] as? [String: [String: Any]])
            var tried = 0
            for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
                for method in ["post", "put", "patch", "delete"] where item[method] != nil {
                    let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "X-1", options: .regularExpression)
                    let reply = try await http.call(
                        HTTPRequest.Method(method.uppercased())!, concrete, token: admin,
                        json: ["note": "another request"], headers: Self.keyed(key))
                    #expect(
                        reply.status == 422 && reply.error["code"] as? String == "IDEMPOTENCY_KEY_REUSED",
                        "\(method.uppercased()) \(path): \(reply.status) \(reply.body)")
                    tried += 1
                }
            }
            #expect(tried > 40, "only \(tried) operations change something?")
            #expect(try await Self.rowCounts(http) == before)
        }
    }

    /// Rows in every table of every service, except what the platform writes on its own schedule.
    static func rowCounts(_ http: HTTPClient) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (schema, client) in http.databases {
            let tables = try await client.query(
                """
                SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) AND table_type = 'BASE TABLE'
                """, logger: TestEnvironment.logger
            ).collect().map { try $0.decode(String.self) }
            for table in tables where !["schema_migrations", "timers"].contains(table) {
                counts["\(schema).\(table)"] = try await client.count("SELECT count(*)::int FROM \(schema).\(table)")
            }
        }
        return counts
    }

    @Test("a method a path does not serve is 405 with Allow; an over-long path id is 400 naming it")
    func methodNotAllowedAndLongIds() async throws {
        try await withStack { http in
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let patch = try await http.call(.patch, "/api/v1/production/spks", token: staff, json: [:])
            #expect(patch.status == 405 && patch.error["code"] as? String == "METHOD_NOT_ALLOWED", "\(patch.body)")
            #expect(patch.headers[.allow] == "GET, POST")
            let trace = try await http.call(.init("TRACE")!, "/health")
            #expect(trace.status == 405 && trace.headers[.allow] == "GET")
            let byId = try await http.call(.put, "/api/v1/production/spks/SPK-1", token: staff, json: [:])
            #expect(byId.status == 405 && byId.headers[.allow]?.contains("GET") == true, "\(byId.status)")
            // A path nobody serves stays 404, and so does a route's own "not found".
            #expect(try await http.call(.get, "/api/v1/nowhere", token: staff).status == 404)
            #expect(try await http.call(.get, "/api/v1/production/spks/SPK-NOPE", token: staff).status == 404)

            let long = String(repeating: "A", count: 201)
            let reply = try await http.call(.get, "/api/v1/production/spks/\(long)", token: staff)
            #expect(reply.status == 400 && reply.errorFields == ["id"], "\(reply.body)")
        }
    }

    @Test("a fingerprint is the request: JSON key order and spacing do not matter, the body, path, method and user do")
    func fingerprints() {
        func print(
            _ body: String, _ method: HTTPRequest.Method = .post, path: String = "/api/v1/production/spks",
            user: String = "u1"
        ) -> String {
            RequestFingerprint(method: method, path: path, query: nil, body: Array(body.utf8), userId: user).value
        }
        let base = print(#"{"article_code":"BEAR","qty":1}"#)
        #expect(print(#"{ "qty": 1,  "article_code": "BEAR" }"#) == base)
        #expect(print(#"{"article_code":"BEAR","qty":2}"#) != base)
        #expect(print(#"{"article_code":"BEAR","qty":1}"#, .put) != base)
        #expect(print(#"{"article_code":"BEAR","qty":1}"#, path: "/api/v1/production/orders") != base)
        #expect(print(#"{"article_code":"BEAR","qty":1}"#, user: "u2") != base)
        #expect(print("code,name\nA,B") == print("code,name\nA,B") && print("code,name\nA,B") != print("code,name\nA,C"))
    }
}
