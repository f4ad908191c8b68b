import Contracts
import Crypto
import Foundation
import Hummingbird
import Messaging
import ServiceKit
import Testing

@testable import Gateway

/// Issue 9: nothing a user (or someone on the broker) sends may crash, stall or fool a service.
extension ProductionHTTPTests {
    @Test("out-of-range numbers and control characters: 400 naming the field at once, and the service refuses them too")
    func inputBounds() async throws {
        try await withStack { http in
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            // The page that killed Production (integer overflow in the offset) is a 400 at the gateway.
            let huge = try await http.call(.get, "/api/v1/production/spks?page=9223372036854775807", token: staff)
            #expect(huge.status == 400 && huge.errorFields == ["page"], "\(huge.body)")
            for path in ["/api/v1/production/approvals/pending", "/api/v1/ppic/reports/on-track-status", "/api/v1/users"] {
                let token = path.hasPrefix("/api/v1/ppic") || path == "/api/v1/users" ? try await http.login("admin", "admin-dev-123") : staff
                #expect(try await http.call(.get, "\(path)?page=9223372036854775807", token: token).errorFields == ["page"])
            }
            // Sent straight to the broker, Production refuses it as it reads it — and lives on.
            let bus = try #require(http.bus)
            let actor = Actor(userId: UUID().uuidString, username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")
            await #expect {
                _ = try await bus.send(
                    TestActorKeys.signed(Envelope(ListSPKs(page: PageRequest(page: Int.max)), actor: actor)),
                    timeout: .seconds(5))
            } throws: { error in
                let reply = error as? ErrorReply
                return reply?.code == .malformed && reply?.message.contains("page") == true
            }
            #expect(try await http.call(.get, "/api/v1/production/spks", token: staff).status == 200)

            // NUL in a query parameter: 400 at once, nothing sent (it used to be 5 retries, a dead letter and a 504).
            let started = ContinuousClock.now
            let nul = try await http.call(.get, "/api/v1/production/orders?article_code=%00", token: staff)
            #expect(nul.status == 400 && nul.errorFields == ["article_code"], "\(nul.body)")
            #expect(started.duration(to: .now) < .seconds(1))
            #expect(try await http.call(.get, "/api/v1/production/spks/SPK%00X", token: staff).errorFields == ["path"])
            // ... in a JSON body, in any field, named by its path.
            let body = try await http.call(
                .post, "/api/v1/production/spks", token: ppic,
                json: [
                    "article_code": "bear\u{0}", "stage": "sewing", "department": "SEWING", "original_qty": 10,
                    "start_date": factoryDay(), "due_date": factoryDay(3), "notes": "two\nlines are fine",
                ])
            #expect(body.status == 400 && body.errorFields == ["article_code"], "\(body.body)")
            // ... and straight to the broker, Production answers at once instead of failing in PostgreSQL.
            await #expect {
                _ = try await bus.send(TestActorKeys.signed(Envelope(ListOrders(articleCode: "\u{0}"), actor: actor)), timeout: .seconds(5))
            } throws: { ($0 as? ErrorReply)?.code == .malformed }

            // reject_qty has an upper bound before it is summed.
            let code = try #require(try await Self.newSPK(http, token: ppic)["code"] as? String)
            let rejects = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(), "qty": 1, "reject_qty": 9_223_372_036_854_775_807])
            #expect(rejects.status == 400 && rejects.errorFields == ["reject_qty"], "\(rejects.body)")
            // A phone's backlog: a bad entry (NUL, a huge reject_qty) is rejected alone, the rest recorded.
            let batch = try await http.call(
                .post, "/api/v1/production/mobile/daily-input", token: staff,
                json: [
                    "entries": [
                        ["spk_id": code, "date": factoryDay(), "qty": 1, "notes": "jam\u{0}", "client_entry_id": UUID().uuidString],
                        ["spk_id": code, "date": factoryDay(), "qty": 1, "reject_qty": Int.max, "client_entry_id": UUID().uuidString],
                        ["spk_id": code, "date": factoryDay(), "qty": 2, "client_entry_id": UUID().uuidString],
                    ]
                ])
            #expect(batch.status == 200, "\(batch.body)")
            #expect((batch.body["data"] as? [[String: Any]] ?? []).map { $0["status"] as? String } == ["rejected", "rejected", "recorded"])
            let order = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": "KOALA", "qty": 10_000_001, "start_date": factoryDay(), "due_date": factoryDay(9),
                ])
            #expect(order.status == 400 && order.errorFields == ["qty"])
            #expect(try await http.call(.get, "/api/v1/ppic/alerts?limit=99999999", token: ppic).errorFields == ["limit"])
            #expect(try await http.call(.get, "/api/v1/production/spks", token: staff).status == 200)
        }
    }

    @Test("a forged actor on the broker is refused; services check roles and departments themselves")
    func actorsAreVerified() async throws {
        try await withStack { http in
            let bus = try #require(http.bus)
            let admin = Actor(userId: UUID().uuidString, username: "admin", roles: ["ADMIN"])
            let article = "FORGED-\(UUID().uuidString.prefix(6))"
            try await http.ensureArticle(article)
            let create = CreateSPK(
                articleCode: article, stage: .sewing, department: .sewing, originalQty: 10,
                startDate: LocalDate(factoryDay())!, dueDate: LocalDate(factoryDay(3))!)
            // Unsigned ADMIN, ADMIN signed by a stranger's key, and a service's own actor: none may create an SPK.
            var strangers = Envelope(create, actor: admin)
            try ActorSigner(privateKey: .init()).sign(&strangers.header)
            for envelope in [Envelope(create, actor: admin), strangers, Envelope(create, actor: .system("ppic"))] {
                await #expect {
                    _ = try await bus.send(envelope, timeout: .seconds(5))
                } throws: { ($0 as? ErrorReply)?.code == .unauthorized }
            }
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let listed = try await http.call(.get, "/api/v1/production/orders?article_code=\(article)", token: ppic)
            #expect(listed.status == 200)
            #expect(
                try await bus.send(TestActorKeys.signed(Envelope(ListSPKs(), actor: admin)), timeout: .seconds(5)).items
                    .allSatisfy { $0.articleCode != article })
            // The genuine article, signed as the gateway signs, is run.
            let made = try await bus.send(TestActorKeys.signed(Envelope(create, actor: admin)), timeout: .seconds(5))
            #expect(made.articleCode == article)

            // PPIC checks the reader's role itself, even for a genuine user who went round the gateway.
            let staff = Actor(userId: UUID().uuidString, username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")
            await #expect {
                _ = try await bus.send(TestActorKeys.signed(Envelope(GetDashboard(), actor: staff)), timeout: .seconds(5))
            } throws: { ($0 as? ErrorReply)?.code == .forbidden }

            // A SEWING supervisor holds SEWING's work, not CUTTING's; a manager holds any.
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let sewing = try #require(try await Self.newSPK(http, token: ppic)["code"] as? String)
            let cutting = try #require(try await Self.newSPK(http, token: ppic, department: "CUTTING")["code"] as? String)
            let foreign = try await http.call(.post, "/api/v1/production/spk/\(cutting)/hold", token: spv, json: ["reason": "not mine"])
            #expect(foreign.status == 403, "\(foreign.body)")
            #expect(try await http.call(.post, "/api/v1/production/spk/\(sewing)/hold", token: spv, json: ["reason": "mine"]).status == 200)
            let manager = try await http.login("prod_manager", "prodmgr-dev-123")
            #expect(try await http.call(.post, "/api/v1/production/spk/\(cutting)/hold", token: manager, json: ["reason": "x"]).status == 200)
        }
    }

    @Test("failed sign-ins lock out one client address, not the user everywhere")
    func lockoutPerAddress() async throws {
        try await withStack { http in
            let attacker: HTTPFields = [.init("X-Forwarded-For")!: "203.0.113.9"]
            let office: HTTPFields = [.init("X-Forwarded-For")!: "10.1.2.3"]
            for _ in 0..<5 {
                let wrong = try await http.call(
                    .post, "/api/v1/auth/login", json: ["username": "manager", "password": "guess-guess"],
                    headers: attacker)
                #expect(wrong.status == 401)
            }
            let locked = try await http.call(
                .post, "/api/v1/auth/login", json: ["username": "manager", "password": "manager-dev-123"],
                headers: attacker)
            #expect(locked.status == 429)
            let elsewhere = try await http.call(
                .post, "/api/v1/auth/login", json: ["username": "manager", "password": "manager-dev-123"],
                headers: office)
            #expect(elsewhere.status == 200, "\(elsewhere.body)")

            // A sign-in's refresh chain ends at its absolute lifetime, however recently it was refreshed.
            let gatewayDB = try #require(http.databases["gateway"])
            let refresh = try #require(elsewhere.data["refresh_token"] as? String)
            try await gatewayDB.query(
                """
                UPDATE refresh_tokens SET family_expires_at = now() - interval '1 minute' WHERE token_hash = \(TokenService.hash(refresh))
                """, logger: TestEnvironment.logger)
            #expect(try await http.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).status == 401)

            // Housekeeping deletes what nothing needs any more, and only that.
            try await gatewayDB.query(
                """
                UPDATE login_failures SET last_failed_at = now() - interval '2 days', locked_until = NULL
                WHERE client_address = '203.0.113.9'
                """, logger: TestEnvironment.logger)
            try await gatewayDB.query(
                """
                UPDATE refresh_tokens SET expires_at = now() - interval '2 days' WHERE token_hash = \(TokenService.hash(refresh))
                """, logger: TestEnvironment.logger)
            let before = try await gatewayDB.count("SELECT count(*)::int FROM refresh_tokens")
            #expect(try await UserStore(client: gatewayDB, logger: TestEnvironment.logger).deleteStale(limit: 100) >= 2)
            #expect(try await gatewayDB.count("SELECT count(*)::int FROM login_failures WHERE client_address = '203.0.113.9'") == 0)
            #expect(try await gatewayDB.count("SELECT count(*)::int FROM refresh_tokens") == before - 1)
        }
    }

    @Test("a repeated POST with the same Idempotency-Key returns the first outcome; ops endpoints are not on the API port")
    func idempotentPostsAndNoOpsOnTheAPI() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            try await http.ensureArticle("PANDA")
            let spk: [String: Any] = [
                "article_code": "PANDA", "stage": "sewing", "department": "SEWING", "original_qty": 10,
                "start_date": factoryDay(), "due_date": factoryDay(3),
            ]
            let key: HTTPFields = [.init("Idempotency-Key")!: UUID().uuidString]
            let first = try await http.call(.post, "/api/v1/production/spks", token: ppic, json: spk, headers: key)
            let repeated = try await http.call(.post, "/api/v1/production/spks", token: ppic, json: spk, headers: key)
            #expect(first.status == 201 && repeated.status == 201)
            #expect(first.data["code"] as? String != nil && repeated.data["code"] as? String == first.data["code"] as? String)
            let other = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: spk,
                headers: [.init("Idempotency-Key")!: UUID().uuidString])
            #expect(other.data["code"] as? String != first.data["code"] as? String)
            let order: [String: Any] = ["article_code": "PANDA", "qty": 10, "start_date": factoryDay(), "due_date": factoryDay(9)]
            let orderKey: HTTPFields = [.init("Idempotency-Key")!: "order-\(UUID().uuidString)"]
            let firstOrder = try await http.call(.post, "/api/v1/production/orders", token: ppic, json: order, headers: orderKey)
            let againOrder = try await http.call(.post, "/api/v1/production/orders", token: ppic, json: order, headers: orderKey)
            #expect(firstOrder.status == 201 && againOrder.data["code"] as? String == firstOrder.data["code"] as? String)
            let bad = try await http.call(
                .post, "/api/v1/production/spks", token: ppic, json: spk,
                headers: [.init("Idempotency-Key")!: "no spaces allowed"])
            #expect(bad.status == 400 && bad.errorFields == ["Idempotency-Key"])

            #expect(try await http.call(.get, "/health").status == 200)
            #expect(try await http.call(.get, "/metrics").status == 404)
            #expect(try await http.call(.get, "/ready").status == 404)
        }
    }

    @Test("the gateway listens on loopback and allows no CORS origin unless configured")
    func safeDefaults() throws {
        let settings = try GatewaySettings(environment: EnvironmentReader(["STITCH_ENV": "development"]))
        #expect(settings.host == "127.0.0.1" && settings.corsOrigins.isEmpty && settings.actorSigner == nil)
        #expect(throws: ConfigurationError.self) {
            try GatewaySettings(environment: EnvironmentReader(["STITCH_JWT_SECRET": String(repeating: "s", count: 40)]))
        }
        let signing = TestActorKeys.signingKeyBase64
        let production = try GatewaySettings(
            environment: EnvironmentReader([
                "STITCH_JWT_SECRET": String(repeating: "s", count: 40), "STITCH_ACTOR_SIGNING_KEY": signing,
            ]))
        #expect(production.actorSigner != nil && production.refreshFamilyLifetime == .seconds(30 * 86400))
    }

    @Test("CORS answers only the configured origin, on successes, errors and preflights")
    func corsForConfiguredOrigins() async throws {
        try await withStack { http in
            let allowed: HTTPFields = [.origin: "http://factory.example"]
            let health = try await http.call(.get, "/health", headers: allowed)
            #expect(health.headers[.accessControlAllowOrigin] == "http://factory.example")
            #expect(health.headers[.accessControlExposeHeaders] == "X-Request-Id")
            let refused = try await http.call(.get, "/api/v1/production/spks", headers: allowed)
            #expect(refused.status == 401 && refused.headers[.accessControlAllowOrigin] == "http://factory.example")
            var preflight = allowed
            preflight[.accessControlRequestMethod] = "POST"
            let options = try await http.call(.options, "/api/v1/production/spks", headers: preflight)
            #expect(options.status == 204)
            #expect(options.headers[.accessControlAllowOrigin] == "http://factory.example")
            #expect(options.headers[.accessControlAllowHeaders]?.lowercased().contains("idempotency-key") == true)
            let stranger = try await http.call(.get, "/health", headers: [.origin: "http://evil.example"])
            #expect(stranger.status == 200 && stranger.headers[.accessControlAllowOrigin] == nil)
        }
    }
}
