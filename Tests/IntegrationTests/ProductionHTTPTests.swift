import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import Production
import ServiceKit
import Testing

/// A factory's first day on Stitch, through the gateway's HTTP API as the web and mobile apps use it.
@Suite("Gateway, Production and PPIC over HTTP", .serialized)
struct ProductionHTTPTests {
    static func newSPK(_ http: HTTPClient, token: String, qty: Int = 100, department: String = "SEWING") async throws -> [String: Any] {
        try await http.ensureArticle("BEAR-30CM")
        let reply = try await http.call(
            .post, "/api/v1/production/spks", token: token,
            json: [
                "article_code": "bear-30cm", "stage": department.lowercased(), "department": department, "original_qty": qty,
                "start_date": factoryDay(-3), "due_date": factoryDay(7), "notes": "test order",
            ])
        #expect(reply.status == 201, "\(reply.body)")
        return reply.data
    }

    @Test("sign in, who am I, refresh rotates, logout revokes, wrong password and lockout")
    func authentication() async throws {
        try await withStack { http in
            let login = try await http.call(.post, "/api/v1/auth/login", json: ["username": "spv_sewing", "password": "spv-dev-123"])
            #expect(login.status == 200)
            #expect(login.data["token_type"] as? String == "bearer")
            #expect((login.data["expires_in"] as? Int ?? 0) > 0)
            #expect(login.headers[.init("X-Request-Id")!] != nil)
            let access = try #require(login.data["access_token"] as? String)
            let refresh = try #require(login.data["refresh_token"] as? String)

            let me = try await http.call(.get, "/api/v1/auth/me", token: access)
            #expect(me.data["username"] as? String == "spv_sewing")
            #expect(me.data["roles"] as? [String] == ["PRODUCTION_SPV"])
            #expect(me.data["department"] as? String == "SEWING")
            #expect(me.data["full_name"] as? String == "Sewing Supervisor")

            let rotated = try await http.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(rotated.status == 200)
            let newRefresh = try #require(rotated.data["refresh_token"] as? String)
            #expect(newRefresh != refresh)
            // The old one no longer works — and using it again revokes the session it belonged to.
            #expect(try await http.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).status == 401)
            #expect(try await http.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": newRefresh]).status == 401)

            let again = try await http.call(.post, "/api/v1/auth/login", json: ["username": "spv_sewing", "password": "spv-dev-123"])
            let lastRefresh = try #require(again.data["refresh_token"] as? String)
            #expect(try await http.call(.post, "/api/v1/auth/logout", json: ["refresh_token": lastRefresh]).status == 200)
            #expect(try await http.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": lastRefresh]).status == 401)
            // Logging out without a body ends every session of the signed-in user.
            let other = try await http.call(.post, "/api/v1/auth/login", json: ["username": "spv_sewing", "password": "spv-dev-123"])
            let otherAccess = try #require(other.data["access_token"] as? String)
            let otherRefresh = try #require(other.data["refresh_token"] as? String)
            #expect(try await http.call(.post, "/api/v1/auth/logout", token: otherAccess).status == 200)
            #expect(try await http.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": otherRefresh]).status == 401)

            let wrong = try await http.call(.post, "/api/v1/auth/login", json: ["username": "staff_cutting", "password": "nope-nope"])
            #expect(wrong.status == 401)
            #expect(wrong.error["code"] as? String == "UNAUTHORIZED")
            #expect(wrong.error["request_id"] as? String != nil)
            // A user of this test's own, so the lockout does not lock anyone else out.
            let admin = try await http.login("admin", "admin-dev-123")
            let name = "lock_\(UUID().uuidString.prefix(6).lowercased())"
            #expect(
                try await http.call(
                    .post, "/api/v1/users", token: admin,
                    json: [
                        "username": name, "password": "right-password", "full_name": "Lockout Test", "roles": ["QC_INSPECTOR"],
                    ]
                ).status == 201)
            for _ in 0..<5 { _ = try await http.call(.post, "/api/v1/auth/login", json: ["username": name, "password": "bad-guess"]) }
            let locked = try await http.call(.post, "/api/v1/auth/login", json: ["username": name, "password": "right-password"])
            #expect(locked.status == 429, "locked out after 5 failures even with the right password")
        }
    }

    @Test("401 without or with a tampered token, 403 for the wrong role")
    func accessControl() async throws {
        try await withStack { http in
            #expect(try await http.call(.get, "/api/v1/production/spks").status == 401)
            let token = try await http.login("staff_sewing", "staff-dev-123")
            var tampered = Array(token)
            tampered[tampered.count - 3] = tampered[tampered.count - 3] == "a" ? "b" : "a"
            #expect(try await http.call(.get, "/api/v1/production/spks", token: String(tampered)).status == 401)
            let create = try await http.call(.post, "/api/v1/production/spks", token: token, json: ["article_code": "x"])
            #expect(create.status == 403)
            #expect(create.error["code"] as? String == "FORBIDDEN")
            #expect(try await http.call(.get, "/api/v1/ppic/dashboard", token: token).status == 403)
            #expect(try await http.call(.get, "/api/v1/users", token: token).status == 403)
            let admin = try await http.login("admin", "admin-dev-123")
            let users = try await http.call(.get, "/api/v1/users?per_page=3", token: admin)
            #expect(users.status == 200 && users.list.count == 3)
            #expect((users.body["meta"] as? [String: Any])?["total"] as? Int ?? 0 >= 8)
        }
    }

    @Test("create an SPK, record input until it completes; progress, my-spks and the dashboard follow")
    func spkToCompletion() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let before = try await http.call(.get, "/api/v1/ppic/dashboard", token: ppic).data
            let completedBefore = before["completed"] as? Int ?? 0
            let totalBefore = before["total_spks"] as? Int ?? 0
            let spk = try await Self.newSPK(http, token: ppic, qty: 100)
            let code = try #require(spk["code"] as? String)
            #expect(code.range(of: #"^SPK-\d{8}-\d{4}$"#, options: .regularExpression) != nil)
            #expect(spk["status"] as? String == "NOT_STARTED" && spk["target_qty"] as? Int == 100)
            let byCode = try await http.call(.get, "/api/v1/production/spks/\(code)", token: staff)
            #expect(byCode.data["id"] as? String == spk["id"] as? String)

            let mine = try await http.call(.get, "/api/v1/production/my-spks", token: staff)
            #expect((mine.body["data"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == code })

            let first = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(-1), "qty": 30, "reject_qty": 2, "client_entry_id": "phone-\(code)-1"])
            #expect(first.status == 200, "\(first.body)")
            #expect(first.data["status"] as? String == "ok")
            #expect(first.data["cumulative"] as? Int == 30 && first.data["target"] as? Int == 100)
            #expect(first.data["progress"] as? Double == 30.0 && first.data["spk_status"] as? String == "IN_PROGRESS")
            let repeated = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(-1), "qty": 30, "reject_qty": 2, "client_entry_id": "phone-\(code)-1"])
            #expect(repeated.data["entry_id"] as? String == first.data["entry_id"] as? String)
            #expect(repeated.data["cumulative"] as? Int == 30)

            _ = try await http.call(.post, "/api/v1/production/spk/\(code)/daily-input", token: staff, json: ["date": factoryDay(-1), "qty": 10])
            let last = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(), "qty": 65, "shift": "DAY"])
            #expect(last.data["cumulative"] as? Int == 105)
            #expect(last.data["spk_status"] as? String == "COMPLETED")
            #expect(last.data["progress"] as? Double == 105.0)
            let closed = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(), "qty": 1])
            #expect(closed.status == 409)

            let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: staff).data
            #expect(progress["target"] as? Int == 100 && progress["cumulative"] as? Int == 105)
            #expect(progress["remaining"] as? Int == 0 && progress["rejects"] as? Int == 2)
            let daily = progress["daily"] as? [[String: Any]] ?? []
            #expect(daily.map { $0["date"] as? String } == [factoryDay(-1), factoryDay()])
            #expect(daily.map { $0["qty"] as? Int } == [40, 65])
            #expect(daily.map { $0["cumulative"] as? Int } == [40, 105])

            let stillMine = try await http.call(.get, "/api/v1/production/my-spks", token: staff)
            #expect(!(stillMine.body["data"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == code })

            // PPIC learns only from events: the dashboard catches up.
            let caughtUp = await eventually {
                let now = (try? await http.call(.get, "/api/v1/ppic/dashboard", token: ppic).data) ?? [:]
                // At least: other tests' SPKs share this read model.
                return (now["completed"] as? Int ?? 0) >= completedBefore + 1 && (now["total_spks"] as? Int ?? 0) >= totalBefore + 1
            }
            #expect(caughtUp)
            let dashboard = try await http.call(.get, "/api/v1/ppic/dashboard", token: ppic).data
            let sewing = (dashboard["by_stage"] as? [String: Any])?["SEWING"] as? [String: Any]
            #expect((sewing?["produced"] as? Int ?? 0) >= 105)
        }
    }

    @Test("bad input gets 400/422 with the field named, the wrong department 403, and nothing is written")
    func badInputChangesNothing() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spk = try await Self.newSPK(http, token: ppic, qty: 50)
            let code = try #require(spk["code"] as? String)
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let path = "/api/v1/production/spk/\(code)/daily-input"

            let negative = try await http.call(.post, path, token: staff, json: ["date": factoryDay(), "qty": -1])
            #expect(negative.status == 400 && negative.errorFields.contains("qty"))
            let zero = try await http.call(.post, path, token: staff, json: ["date": factoryDay(), "qty": 0, "reject_qty": 0])
            #expect(zero.status == 400)
            let fraction = try await http.call(.post, path, token: staff, json: ["date": factoryDay(), "qty": 1.5])
            #expect(fraction.status == 400 && fraction.errorFields == ["qty"], "\(fraction.body)")
            let missing = try await http.call(.post, path, token: staff, json: ["qty": 5])
            #expect(missing.status == 400 && missing.errorFields == ["date"])
            let badDate = try await http.call(.post, path, token: staff, json: ["date": "2026-02-30", "qty": 5])
            #expect(badDate.status == 400 && badDate.errorFields == ["date"])
            let future = try await http.call(.post, path, token: staff, json: ["date": factoryDay(2), "qty": 5])
            #expect(future.status == 422 && future.errorFields == ["date"])
            let early = try await http.call(.post, path, token: staff, json: ["date": factoryDay(-10), "qty": 5])
            #expect(early.status == 422 && early.errorFields == ["date"])
            let tooMuch = try await http.call(.post, path, token: staff, json: ["date": factoryDay(), "qty": 56])
            #expect(tooMuch.status == 422 && tooMuch.errorFields == ["qty"])
            let cutter = try await http.login("staff_cutting", "staff-dev-123")
            #expect(try await http.call(.post, path, token: cutter, json: ["date": factoryDay(), "qty": 5]).status == 403)
            let notJSON = try await http.call(.post, path, token: staff, headers: [.contentType: "application/json"])
            #expect(notJSON.status == 400)
            let unknown = try await http.call(.get, "/api/v1/production/spks/SPK-19990101-9999", token: staff)
            #expect(unknown.status == 404)
            let badCreate = try await http.call(
                .post, "/api/v1/production/spks", token: ppic,
                json: [
                    "article_code": "", "stage": "SEWING", "department": "SEWING", "original_qty": 0,
                    "start_date": factoryDay(), "due_date": factoryDay(-1),
                ])
            #expect(badCreate.status == 400)
            #expect(Set(badCreate.errorFields) == ["article_code", "original_qty", "due_date"])
            let badStage = try await http.call(
                .post, "/api/v1/production/spks", token: ppic,
                json: [
                    "article_code": "x", "stage": "GLUING", "department": "SEWING", "original_qty": 5,
                    "start_date": factoryDay(), "due_date": factoryDay(),
                ])
            #expect(badStage.status == 400 && badStage.errorFields == ["stage"])
            #expect(try await http.call(.get, "/api/v1/production/spks?per_page=501", token: ppic).status == 400)
            #expect(try await http.call(.get, "/api/v1/production/spks?status=DONE", token: ppic).status == 400)

            let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: staff).data
            #expect(progress["cumulative"] as? Int == 0 && (progress["daily"] as? [Any])?.isEmpty == true)
            #expect(progress["status"] as? String == "NOT_STARTED")
        }
    }

    @Test("a phone's backlog: each entry recorded, duplicate or rejected on its own; racing duplicates apply once")
    func mobileBatchAndDuplicates() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spk = try await Self.newSPK(http, token: ppic, qty: 200)
            let id = try #require(spk["id"] as? String)
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let batch = try await http.call(
                .post, "/api/v1/production/mobile/daily-input", token: staff,
                json: [
                    "entries": [
                        ["client_entry_id": "m-\(id)-1", "spk_id": id, "date": factoryDay(-2), "qty": 20],
                        ["client_entry_id": "m-\(id)-2", "spk_id": id, "date": factoryDay(-1), "qty": 15, "reject_qty": 1],
                        ["client_entry_id": "m-\(id)-1", "spk_id": id, "date": factoryDay(-2), "qty": 20],
                        ["client_entry_id": "m-\(id)-3", "spk_id": id, "date": factoryDay(-1), "qty": -5],
                        ["client_entry_id": "m-\(id)-4", "spk_id": "SPK-19990101-0001", "date": factoryDay(), "qty": 5],
                    ]
                ])
            #expect(batch.status == 200, "\(batch.body)")
            let results = batch.body["data"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? String } == ["recorded", "recorded", "duplicate", "rejected", "rejected"])
            #expect((results[3]["error"] as? [String: Any])?["code"] as? String == "VALIDATION_FAILED")
            #expect((results[4]["error"] as? [String: Any])?["code"] as? String == "NOT_FOUND")

            // The same entry sent five times at the same moment is applied once.
            let racing = try await withThrowingTaskGroup(of: HTTPClient.Reply.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await http.call(
                            .post, "/api/v1/production/spk/\(id)/daily-input", token: staff,
                            json: ["date": factoryDay(), "qty": 7, "client_entry_id": "race-\(id)"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(racing.allSatisfy { $0.status == 200 })
            #expect(Set(racing.compactMap { $0.data["entry_id"] as? String }).count == 1)
            let progress = try await http.call(.get, "/api/v1/production/spk/\(id)/progress", token: staff).data
            #expect(progress["cumulative"] as? Int == 42)
            #expect(progress["rejects"] as? Int == 1)
        }
    }

    @Test("SPK codes stay unique when many are created at once; lists filter and page")
    func concurrentCreatesAndPaging() async throws {
        try await withStack { http in
            let manager = try await http.login("prod_manager", "prodmgr-dev-123")
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let spk = try await Self.newSPK(http, token: manager, qty: 10, department: "FINISHING")
                        return spk["code"] as? String ?? ""
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(codes).count == 12)
            let page = try await http.call(
                .get, "/api/v1/production/spks?department=FINISHING&status=NOT_STARTED&per_page=5&page=2",
                token: manager)
            #expect(page.status == 200 && page.list.count == 5)
            let meta = page.body["meta"] as? [String: Any] ?? [:]
            #expect(meta["page"] as? Int == 2 && meta["per_page"] as? Int == 5 && (meta["total"] as? Int ?? 0) >= 12)
            #expect(page.list.allSatisfy { $0["department"] as? String == "FINISHING" })
            let cors = try await http.call(.get, "/api/v1/production/spks", token: manager, headers: [.origin: "http://factory.example"])
            #expect(cors.headers[.accessControlAllowOrigin] == "http://factory.example")
            let foreign = try await http.call(.get, "/api/v1/production/spks", token: manager, headers: [.origin: "http://evil.example"])
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            let spec = try await http.call(.get, "/openapi.json")
            #expect((spec.body["paths"] as? [String: Any])?["/api/v1/production/spk/{id}/daily-input"] != nil)
        }
    }
}

/// When a service is down or the broker unreachable the gateway answers quickly — never a hang.
extension ProductionHTTPTests {
    @Test("no Production consumer: 504 after the request timeout; broker unreachable: 503")
    func gatewayWithoutItsServices() async throws {
        let url = try TestEnvironment.databaseURL()
        try await withClient(try DatabaseConfiguration(url: url, schema: "public", poolSize: 1)) { admin in
            try await admin.query("CREATE SCHEMA IF NOT EXISTS gateway", logger: TestEnvironment.logger)
        }
        try await withClient(try DatabaseConfiguration(url: url, schema: "gateway")) { gatewayDB in
            let settings = try GatewaySettings(
                environment: EnvironmentReader([
                    "STITCH_ENV": "development", "STITCH_BCRYPT_COST": "4", "STITCH_SEED_DEMO": "true", "STITCH_REQUEST_TIMEOUT_MS": "700",
                ]))
            try await GatewayApp.prepare(settings: settings, client: gatewayDB, logger: TestEnvironment.logger)

            // The queue exists (bound) but nobody consumes it: the request waits, then 504.
            try await withBus(name: "gateway-alone") { bus in
                try await bus.declare(ProductionService.definition(environment: TestActorKeys.environment()).topology)
                let router = try await GatewayApp.buildRouter(settings: settings, client: gatewayDB, bus: bus, logger: TestEnvironment.logger)
                try await Application(router: router).test(.router) { client in
                    let http = HTTPClient(client: client)
                    let token = try await http.login("ppic", "ppic-dev-123")
                    let started = ContinuousClock.now
                    let reply = try await http.call(.get, "/api/v1/production/spks/SPK-20990101-0001", token: token)
                    #expect(reply.status == 504 && reply.error["code"] as? String == "TIMEOUT")
                    #expect(started.duration(to: .now) < .seconds(5))
                }
            }

            // No broker at all: 503 within the connection wait.
            let nowhere = try AMQPMessageBus(
                url: "amqp://stitch:x@127.0.0.1:1/stitch", name: "nowhere",
                logger: TestEnvironment.logger, connectionWait: .milliseconds(300))
            let router = try await GatewayApp.buildRouter(settings: settings, client: gatewayDB, bus: nowhere, logger: TestEnvironment.logger)
            try await Application(router: router).test(.router) { client in
                let http = HTTPClient(client: client)
                let token = try await http.login("ppic", "ppic-dev-123")
                let reply = try await http.call(.get, "/api/v1/ppic/dashboard", token: token)
                #expect(reply.status == 503 && reply.error["code"] as? String == "SERVICE_UNAVAILABLE")
                // The broker's user and address are for the log, never for the client.
                let message = reply.error["message"] as? String ?? ""
                #expect(!message.contains("127.0.0.1") && !message.contains("stitch") && message.contains("ppic"), "\(message)")
            }
            await nowhere.shutdown()
        }
    }
}
