import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import PostgresNIO
import Testing

@testable import BOMFinance

/// BOMFinance through the gateway: master data, versioned BOMs, event-driven costing, pinned orders,
/// requirements, rejects and variance.
/// Nested in the serialized HTTP suite: every test stack consumes the same queues, so two stacks at
/// once (each with its own clock) would take each other's messages.
extension ProductionHTTPTests {
    @Suite("BOMFinance over HTTP", .serialized)
    struct BOMFinanceHTTPTests {
        /// Codes unique to one test, so runs against the same database do not meet.
        static func tag() -> String { String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(6)) }

        static func material(_ http: HTTPClient, _ token: String, _ code: String, unit: String, cost: Double) async throws {
            let reply = try await http.call(
                .post, "/api/v1/master/materials", token: token,
                json: [
                    "code": code, "name": "Material \(code)", "category": "FABRIC", "unit": unit, "standard_cost": cost,
                    "cost_effective_from": factoryDay(-1800),  // long ago, yet inside the date window
                ])
            #expect(reply.status == 201, "\(reply.body)")
        }

        static func article(
            _ http: HTTPClient, _ token: String, _ code: String, route: [String]? = nil,
            minutes: [String: Double] = [:]
        ) async throws {
            var body: [String: Any] = [
                "code": code, "name": "Article \(code)",
                "labour_minutes": minutes.map { ["stage": $0.key, "minutes": $0.value] },
            ]
            if let route { body["route"] = route }
            let reply = try await http.call(.post, "/api/v1/master/articles", token: token, json: body)
            #expect(reply.status == 201, "\(reply.body)")
        }

        static func number(_ value: Any?) -> Decimal? {
            switch value {
            case let number as NSNumber: Decimal(string: number.stringValue)
            case let text as String: Decimal(string: text)
            default: nil
            }
        }

        @Test("materials and articles: create, read, change, cost history, CSV import all or nothing, roles, bad input changes nothing")
        func masterData() async throws {
            try await withStack { http in
                let finance = try await http.login("finance", "finance-dev-123")
                let ppic = try await http.login("ppic", "ppic-dev-123")
                let staff = try await http.login("staff_sewing", "staff-dev-123")
                let t = Self.tag()
                try await Self.material(http, finance, "FUR-\(t)", unit: "M", cost: 45000)

                // Bad input: 400 naming the field, and nothing created.
                let bad = try await http.call(
                    .post, "/api/v1/master/materials", token: finance,
                    json: [
                        "code": "BAD \(t)!", "name": "", "category": "FABRIC", "unit": "M", "standard_cost": 1.23456,
                    ])
                #expect(bad.status == 400 && Set(bad.errorFields) == ["code", "name", "standard_cost"], "\(bad.body)")
                let unknownUnit = try await http.call(
                    .post, "/api/v1/master/materials", token: finance,
                    json: [
                        "code": "X-\(t)", "name": "x", "category": "FABRIC", "unit": "BUCKET",
                    ])
                #expect(unknownUnit.status == 400 && unknownUnit.errorFields == ["unit"])
                #expect(try await http.call(.get, "/api/v1/master/materials/X-\(t)", token: staff).status == 404)
                #expect(
                    try await http.call(
                        .post, "/api/v1/master/materials", token: staff,
                        json: [
                            "code": "S-\(t)", "name": "s", "category": "FABRIC", "unit": "M",
                        ]
                    ).status == 403)
                #expect(
                    try await http.call(
                        .post, "/api/v1/master/materials", token: finance,
                        json: [
                            "code": "fur-\(t)", "name": "again", "category": "FABRIC", "unit": "M",
                        ]
                    ).status == 409)

                // Anyone signed in reads; money only for FINANCE, MANAGER, ADMIN.
                let seen = try await http.call(.get, "/api/v1/master/materials/fur-\(t)", token: staff)
                #expect(seen.status == 200 && (seen.data["material"] as? [String: Any])?["standard_cost"] == nil)
                #expect(seen.data["cost_history"] == nil)

                // A new cost from a date keeps the old one.
                let cost = try await http.call(
                    .post, "/api/v1/master/materials/FUR-\(t)/cost", token: finance,
                    json: [
                        "cost": 47500.25, "effective_from": factoryDay(-1000), "reason": "supplier price list",
                    ])
                #expect(cost.status == 200, "\(cost.body)")
                #expect(
                    try await http.call(
                        .post, "/api/v1/master/materials/FUR-\(t)/cost", token: ppic,
                        json: [
                            "cost": 1, "effective_from": factoryDay(-1000), "reason": "x",
                        ]
                    ).status == 403)
                let badCost = try await http.call(
                    .post, "/api/v1/master/materials/FUR-\(t)/cost", token: finance,
                    json: [
                        "cost": -1, "effective_from": "2021-13-01", "reason": "x",
                    ])
                #expect(badCost.status == 400)
                let detail = try await http.call(.get, "/api/v1/master/materials/FUR-\(t)", token: finance).data
                let history = detail["cost_history"] as? [[String: Any]] ?? []
                #expect(history.compactMap { Self.number($0["cost"]) } == [Decimal(string: "47500.25")!, 45000])
                #expect(Self.number((detail["material"] as? [String: Any])?["standard_cost"]) == Decimal(string: "47500.25"))

                // PUT changes what it names.
                let renamed = try await http.call(.put, "/api/v1/master/materials/FUR-\(t)", token: ppic, json: ["name": "Brown fur"])
                #expect(renamed.status == 200 && renamed.data["name"] as? String == "Brown fur" && renamed.data["version"] as? Int == 3)

                // Articles: route defaults to the five stages.
                try await Self.article(http, ppic, "BEAR-\(t)", minutes: ["SEWING": 12.5])
                let bear = try await http.call(.get, "/api/v1/master/articles/bear-\(t)", token: staff)
                #expect(bear.data["route"] as? [String] == ["CUTTING", "EMBROIDERY", "SEWING", "FINISHING", "PACKING"])
                let badRoute = try await http.call(.put, "/api/v1/master/articles/BEAR-\(t)", token: ppic, json: ["route": ["SEWING", "CUTTING"]])
                #expect(badRoute.status == 400 && badRoute.errorFields == ["route"])
                let shortened = try await http.call(
                    .put, "/api/v1/master/articles/BEAR-\(t)", token: ppic, json: ["route": ["CUTTING", "SEWING", "PACKING"]])
                #expect(shortened.data["route"] as? [String] == ["CUTTING", "SEWING", "PACKING"])
                #expect(try await http.call(.get, "/api/v1/master/articles?search=\(t)", token: staff).list.count == 1)

                // CSV: one bad row and nothing is imported; each bad row named by its line.
                let csv =
                    "code,name,category,unit,standard_cost\nCSV1-\(t),Cotton,FABRIC,M,12000\nCSV2-\(t),Thread,THREAD,LITRE,5\nFUR-\(t),Brown fur,FABRIC,M,\n"
                let refused = try await http.call(.post, "/api/v1/master/materials/import", token: finance, csv: csv)
                #expect(refused.status == 422 && refused.errorFields == ["line 3"], "\(refused.body)")
                #expect(try await http.call(.get, "/api/v1/master/materials/CSV1-\(t)", token: finance).status == 404)
                let fixed = csv.replacingOccurrences(of: "LITRE", with: "CONE")
                let imported = try await http.call(.post, "/api/v1/master/materials/import", token: finance, csv: fixed)
                #expect(imported.status == 200, "\(imported.body)")
                let outcomes = (imported.data["lines"] as? [[String: Any]] ?? []).map { "\($0["line"] ?? "") \($0["outcome"] ?? "")" }
                #expect(outcomes == ["2 CREATED", "3 CREATED", "4 UNCHANGED"])
                #expect(try await http.call(.get, "/api/v1/master/materials?search=CSV1-\(t)", token: staff).list.count == 1)

                // Articles the same way: a bad route refuses the file; fixed, one is created and BEAR updated.
                let articles = "code,name,route,labour_minutes\nDOLL-\(t),Doll,CUTTING>SEWING,SEWING:9\nBEAR-\(t),Bear,SEWING>CUTTING,\n"
                let refusedArticles = try await http.call(.post, "/api/v1/master/articles/import", token: ppic, csv: articles)
                #expect(refusedArticles.status == 422 && refusedArticles.errorFields == ["line 3"], "\(refusedArticles.body)")
                #expect(try await http.call(.get, "/api/v1/master/articles/DOLL-\(t)", token: staff).status == 404)
                #expect(try await http.call(.post, "/api/v1/master/articles/import", token: staff, csv: articles).status == 403)
                let fixedArticles = articles.replacingOccurrences(of: "SEWING>CUTTING", with: "CUTTING>SEWING>PACKING")
                let importedArticles = try await http.call(.post, "/api/v1/master/articles/import", token: ppic, csv: fixedArticles)
                let articleOutcomes = (importedArticles.data["lines"] as? [[String: Any]] ?? []).map { "\($0["line"] ?? "") \($0["outcome"] ?? "")" }
                #expect(articleOutcomes == ["2 CREATED", "3 UPDATED"], "\(importedArticles.body)")
                let doll = try await http.call(.get, "/api/v1/master/articles/doll-\(t)", token: staff)
                #expect(doll.data["route"] as? [String] == ["CUTTING", "SEWING"])
                #expect(
                    try await http.call(.get, "/api/v1/master/articles/BEAR-\(t)", token: staff).data["route"] as? [String]
                        == ["CUTTING", "SEWING", "PACKING"])
            }
        }

        @Test(
            "a two-level BOM: created, cycle refused, activated, explode, order pinned, new version, requirements, re-costing two levels, rejects and variance"
        )
        func bomLifecycle() async throws {
            try await withStack { http in
                let finance = try await http.login("finance", "finance-dev-123")
                let ppic = try await http.login("ppic", "ppic-dev-123")
                let staff = try await http.login("staff_sewing", "staff-dev-123")
                let manager = try await http.login("prod_manager", "prodmgr-dev-123")
                let t = Self.tag()
                let fur = "FUR-\(t)"
                let thread = "THR-\(t)"
                let eye = "EYE-\(t)"
                let panel = "PANEL-\(t)"
                let bear = "BEAR-\(t)"
                try await Self.material(http, finance, fur, unit: "M", cost: 40000)
                try await Self.material(http, finance, thread, unit: "CONE", cost: 20000)
                try await Self.material(http, finance, eye, unit: "PCS", cost: 500)
                try await Self.article(http, ppic, panel, minutes: ["EMBROIDERY": 1.5])
                try await Self.article(
                    http, ppic, bear, route: ["CUTTING", "SEWING", "PACKING"], minutes: ["CUTTING": 3, "SEWING": 12, "PACKING": 2])

                // An order made before any BOM stays unpinned and says so; it takes the article's route.
                let early = try await http.call(
                    .post, "/api/v1/production/orders", token: ppic,
                    json: [
                        "article_code": bear, "qty": 10, "start_date": factoryDay(), "due_date": factoryDay(5),
                    ])
                #expect(early.status == 201, "\(early.body)")
                #expect(early.data["bom_id"] == nil && (early.data["bom_note"] as? String)?.contains("no ACTIVE BOM") == true)
                #expect((early.data["spks"] as? [[String: Any]])?.map { $0["stage"] as? String } == ["CUTTING", "SEWING", "PACKING"])

                let panelBOM = try await http.call(
                    .post, "/api/v1/bom/create", token: ppic,
                    json: [
                        "article_code": panel,
                        "lines": [
                            ["material_code": fur, "qty_per_unit": 0.1], ["material_code": thread, "qty_per_unit": 0.01, "scrap_percent": 5],
                        ],
                    ])
                #expect(
                    panelBOM.status == 201 && panelBOM.data["code"] as? String == "BOM-\(panel)-001" && panelBOM.data["status"] as? String == "DRAFT",
                    "\(panelBOM.body)")
                let bearLines: [[String: Any]] = [
                    ["material_code": fur, "qty_per_unit": 0.5, "scrap_percent": 10],
                    ["article_code": panel, "qty_per_unit": 2], ["material_code": eye, "qty_per_unit": 2],
                ]
                // Bad lines: 400 naming them, nothing created.
                let badLines = try await http.call(
                    .post, "/api/v1/bom/create", token: ppic,
                    json: [
                        "article_code": bear,
                        "lines": [["material_code": fur, "qty_per_unit": 0], ["material_code": eye, "article_code": panel, "qty_per_unit": 1]],
                    ])
                #expect(
                    badLines.status == 400 && Set(badLines.errorFields) == ["lines[0].qty_per_unit", "lines[1].material_code"], "\(badLines.body)")
                #expect(
                    try await http.call(.post, "/api/v1/bom/create", token: staff, json: ["article_code": bear, "lines": bearLines]).status == 403)
                let bearBOM = try await http.call(.post, "/api/v1/bom/create", token: ppic, json: ["article_code": bear, "lines": bearLines])
                #expect(bearBOM.status == 201)
                let bearCode = try #require(bearBOM.data["code"] as? String)
                #expect(try await http.call(.get, "/api/v1/bom/list?article_code=\(bear)", token: staff).list.count == 1)

                // Activation needs the sub-assembly's BOM active first.
                let early422 = try await http.call(.post, "/api/v1/bom/\(bearCode)/activate", token: ppic)
                #expect(early422.status == 422 && early422.errorFields == ["lines[1].article_code"])
                #expect(try await http.call(.post, "/api/v1/bom/BOM-\(panel)-001/activate", token: ppic).status == 200)
                let active = try await http.call(.post, "/api/v1/bom/\(bearCode)/activate", token: ppic)
                #expect(active.status == 200 && active.data["status"] as? String == "ACTIVE")

                // A cycle is refused with its path.
                let cycle = try await http.call(
                    .post, "/api/v1/bom/create", token: ppic,
                    json: [
                        "article_code": panel, "lines": [["article_code": bear, "qty_per_unit": 1]],
                    ])
                #expect(
                    cycle.status == 422 && (cycle.error["message"] as? String)?.contains("\(panel) → \(bear) → \(panel)") == true, "\(cycle.body)")

                // An ACTIVE version is immutable.
                let immutable = try await http.call(.put, "/api/v1/bom/\(bearCode)", token: ppic, json: ["notes": "x"])
                #expect(immutable.status == 409 && (immutable.error["message"] as? String)?.contains("new version") == true)

                let exploded =
                    try await http.call(.get, "/api/v1/bom/\(bearCode)?explode=true", token: staff).data["exploded"] as? [[String: Any]] ?? []
                #expect(exploded.map { $0["material_code"] as? String } == [eye, fur, thread].sorted())
                #expect(Self.number(exploded.first { $0["material_code"] as? String == fur }?["qty_per_unit"]) == Decimal(string: "0.75"))
                #expect(try await http.call(.get, "/api/v1/bom/\(bearCode)?explode=maybe", token: staff).status == 400)

                // Production learns the active version from the event and pins the order to it.
                var order: HTTPClient.Reply = early
                var pinned = false
                for _ in 0..<100 where !pinned {
                    order = try await http.call(
                        .post, "/api/v1/production/orders", token: ppic,
                        json: [
                            "article_code": bear, "qty": 100, "start_date": factoryDay(), "due_date": factoryDay(5),
                        ])
                    pinned = order.data["bom_code"] as? String == bearCode
                    if !pinned { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(pinned, "\(order.body)")
                let orderCode = try #require(order.data["code"] as? String)

                // A new version while the order stays pinned to the old one.
                let next = try await http.call(.post, "/api/v1/bom/\(bearCode)/new-version", token: ppic)
                #expect(next.status == 201 && next.data["version"] as? Int == 2 && next.data["status"] as? String == "DRAFT")
                let nextCode = try #require(next.data["code"] as? String)
                #expect(
                    try await http.call(
                        .put, "/api/v1/bom/\(nextCode)", token: ppic,
                        json: [
                            "lines": [
                                ["material_code": fur, "qty_per_unit": 0.6], ["article_code": panel, "qty_per_unit": 2],
                                ["material_code": eye, "qty_per_unit": 2],
                            ]
                        ]
                    ).status == 200)
                #expect(try await http.call(.post, "/api/v1/bom/\(nextCode)/activate", token: ppic).status == 200)
                #expect(try await http.call(.get, "/api/v1/bom/\(bearCode)", token: staff).data["status"] as? String == "SUPERSEDED")
                #expect(try await http.call(.delete, "/api/v1/bom/\(bearCode)", token: ppic).data["status"] as? String == "ARCHIVED")
                #expect(try await http.call(.get, "/api/v1/bom/\(bearCode)", token: staff).status == 200)  // never physically deleted

                let needs = try await http.call(.get, "/api/v1/bom/requirements?order=\(orderCode)", token: staff)
                #expect(needs.status == 200 && needs.data["bom_code"] as? String == bearCode, "\(needs.body)")
                let lines = needs.data["lines"] as? [[String: Any]] ?? []
                #expect(Self.number(lines.first { $0["material_code"] as? String == fur }?["required"]) == 75)  // 100 × 0.75
                #expect(Self.number(lines.first { $0["material_code"] as? String == thread }?["required"]) == 3)  // 2.1 cones, rounded up
                let unpinned = try await http.call(.get, "/api/v1/bom/requirements?order=\(early.data["code"] as? String ?? "")", token: staff)
                #expect(unpinned.status == 200 && unpinned.data["bom_id"] == nil && (unpinned.data["lines"] as? [Any])?.isEmpty == true)
                #expect(try await http.call(.get, "/api/v1/bom/requirements", token: staff).status == 400)

                // Costing: money only for FINANCE, MANAGER, ADMIN.
                #expect(try await http.call(.get, "/api/v1/costing/articles/\(bear)", token: ppic).status == 403)
                let costing = try await http.call(.get, "/api/v1/costing/articles/\(bear)", token: finance)
                #expect(costing.status == 200 && costing.data["bom"] != nil, "\(costing.body)")
                // Before anything was costed, inside the date window.
                let then = try await http.call(.get, "/api/v1/costing/articles/\(bear)?at=\(factoryDay(-1820))", token: finance)
                #expect(then.status == 200 && then.data["bom"] == nil && Self.number(then.data["material_cost"]) == 0)
                #expect(try await http.call(.get, "/api/v1/costing/articles/\(bear)?at=yesterday", token: finance).status == 400)

                // A thread cost change re-costs PANEL and, through it, BEAR (two levels) — from the event alone.
                let db = try #require(http.databases["bomfinance"])
                @Sendable func stored(_ article: String) async throws -> String {
                    for try await total in try await db.query(
                        "SELECT total::text FROM article_costs WHERE article_code = \(article)",
                        logger: TestEnvironment.logger
                    ).decode(String.self) { return total }
                    return "none"
                }
                let panelBefore = try await stored(panel)
                let bearBefore = try await stored(bear)
                #expect(panelBefore != "none" && bearBefore != "none")
                #expect(
                    try await http.call(
                        .post, "/api/v1/master/materials/\(thread)/cost", token: finance,
                        json: [
                            "cost": 30000, "effective_from": factoryDay(-1800), "reason": "thread up",
                        ]
                    ).status == 200)
                let recosted = await eventually {
                    let panelNow = (try? await stored(panel)) ?? panelBefore
                    let bearNow = (try? await stored(bear)) ?? bearBefore
                    return panelNow != panelBefore && bearNow != bearBefore
                }
                #expect(recosted)
                // PANEL material 0.1 × 40000 + 0.0105 × 30000 = 4315, labour 1.5 × 400 = 600; (4915) × 1.15
                #expect(try await stored(panel) == "5652.25")

                // Rejects valued from Production's daily input; material issued as Warehouse reports it.
                let spks = order.data["spks"] as? [[String: Any]] ?? []
                let cutting = try #require(spks.first?["code"] as? String)
                let input = try await http.call(
                    .post, "/api/v1/production/spk/\(cutting)/daily-input", token: manager,
                    json: [
                        "date": factoryDay(), "qty": 40, "reject_qty": 2, "shift": "DAY", "operator_id": "staff_cutting",
                    ])
                #expect(input.status == 200, "\(input.body)")
                let bus = try #require(http.bus)
                try await bus.publish(
                    Envelope(
                        MaterialIssued(
                            movementId: UUID(), orderCode: orderCode, spkCode: cutting, materialCode: fur,
                            unit: .m, qty: 80, unitCost: 40000, occurredAt: Date()), actor: .system("warehouse")))
                var variance: [String: Any] = [:]
                for _ in 0..<200 {
                    variance = try await http.call(.get, "/api/v1/costing/orders/\(orderCode)", token: finance).data
                    let stages = variance["by_stage"] as? [[String: Any]] ?? []
                    let materials = variance["by_material"] as? [[String: Any]] ?? []
                    if stages.first(where: { $0["stage"] as? String == "CUTTING" })?["reject_qty"] as? Int == 2
                        && Self.number(materials.first { $0["material_code"] as? String == fur }?["actual_qty"]) == 80
                    {
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(Self.number(variance["reject_cost"]) ?? 0 > 0)
                let cuttingStage = (variance["by_stage"] as? [[String: Any]] ?? []).first { $0["stage"] as? String == "CUTTING" } ?? [:]
                #expect(cuttingStage["actual_qty"] as? Int == 42 && cuttingStage["planned_qty"] as? Int == 100)
                let furLine = (variance["by_material"] as? [[String: Any]] ?? []).first { $0["material_code"] as? String == fur } ?? [:]
                #expect(Self.number(furLine["planned_qty"]) == 75 && Self.number(furLine["actual_cost"]) == 3_200_000)
                #expect(Self.number(furLine["variance"]) == 200_000)

                // Archiving the ACTIVE version: new orders are made unpinned and say so; the pinned one keeps its BOM.
                #expect(try await http.call(.delete, "/api/v1/bom/\(nextCode)", token: ppic).data["status"] as? String == "ARCHIVED")
                var late = HTTPClient.Reply(status: 0, headers: [:], json: nil)
                for _ in 0..<50 {
                    late = try await http.call(
                        .post, "/api/v1/production/orders", token: ppic,
                        json: [
                            "article_code": bear, "qty": 5, "start_date": factoryDay(), "due_date": factoryDay(5),
                        ])
                    if late.data["bom_id"] == nil { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(late.status == 201 && late.data["bom_id"] == nil, "\(late.body)")
                #expect((late.data["bom_note"] as? String)?.contains("no ACTIVE BOM") == true, "\(late.body)")
                #expect(
                    try await http.call(.get, "/api/v1/bom/requirements?order=\(orderCode)", token: staff).data["bom_code"] as? String == bearCode)
                #expect(try await http.call(.get, "/api/v1/costing/orders/\(orderCode)", token: staff).status == 403)
            }
        }

        @Test("a cost set ahead of its date takes effect on that day: announced once, and the warehouse values receipts at it")
        func futureCostTakesEffect() async throws {
            let clock = TestClock()
            try await withStack(clock: clock) { http in
                let finance = try await http.login("finance", "finance-dev-123")
                let wh = try await http.login("wh_manager", "whmgr-dev-123")
                _ = try await ProductionHTTPTests.warehouseSetUp(http, token: wh)  // the locations
                let fabric = "FUT-\(Self.tag())"
                try await Self.material(http, finance, fabric, unit: "M", cost: 1000)
                let ahead = try await http.call(
                    .post, "/api/v1/master/materials/\(fabric)/cost", token: finance,
                    json: ["cost": 1500, "effective_from": factoryDay(1), "reason": "new supplier price"])
                #expect(ahead.status == 200, "\(ahead.body)")
                #expect(Self.number((ahead.data["material"] as? [String: Any])?["standard_cost"]) == 1000, "\(ahead.body)")  // not yet
                let before = try await ProductionHTTPTests.receipt(http, token: wh, item: fabric, qty: 10)
                #expect(Self.number(before.list.first?["unit_cost"]) == 1000, "\(before.body)")

                // The next morning the calendar announces it (the loop runs every minute; here it is run once by hand).
                clock.set(factoryDate: factoryDay(1), hour: 7)
                var clocked = BOMFinanceSettings()
                clocked.now = clock.now
                let settings = clocked
                let db = try #require(http.databases["bomfinance"])
                _ = try await db.transaction(logger: TestEnvironment.logger) { connection in  // or the loop got there first
                    try await CostCalendar(settings: settings).announceDue(on: connection, today: settings.today, logger: TestEnvironment.logger)
                }
                let again = try await db.transaction(logger: TestEnvironment.logger) { connection in
                    try await CostCalendar(settings: settings).announceDue(on: connection, today: settings.today, logger: TestEnvironment.logger)
                }
                #expect(again == 0)  // once a day
                var after = HTTPClient.Reply(status: 0, headers: [:], json: nil)
                for _ in 0..<100 {
                    after = try await ProductionHTTPTests.receipt(http, token: wh, item: fabric, qty: 10)
                    if Self.number(after.list.first?["unit_cost"]) == 1500 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(Self.number(after.list.first?["unit_cost"]) == 1500, "\(after.body)")
            }
        }
    }
}

extension HTTPClient {
    /// A `text/csv` POST.
    func call(_ method: HTTPRequest.Method, _ path: String, token: String, csv: String) async throws -> Reply {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "text/csv"]
        headers[.accept] = "application/json"
        return try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: csv)) { response in
            let parsed =
                response.body.readableBytes > 0
                ? try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) : nil
            return Reply(status: Int(response.status.code), headers: response.headers, json: parsed)
        }
    }
}
