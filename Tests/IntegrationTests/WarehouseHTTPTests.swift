import Contracts
import Foundation
import Messaging
import PostgresNIO
import Testing

@testable import Warehouse

/// The Warehouse over HTTP: ledger and balances, issues and material debt, cartons, shipments and
/// returns. The tests publish BOMFinance's item events themselves (as it would) for items BOMFinance has not got.
extension ProductionHTTPTests {
    static var warehouseLocations: [[String: Any]] {
        [
            ["code": "RM-MAIN", "name": "Raw material store", "type": "RAW_MATERIAL"],
            ["code": "FLOOR-SEWING", "name": "Sewing floor", "type": "FLOOR", "department": "SEWING"],
            ["code": "FLOOR-PACKING", "name": "Packing floor", "type": "FLOOR", "department": "PACKING"],
            ["code": "FG-MAIN", "name": "Finished goods", "type": "FINISHED_GOODS"],
            ["code": "QUARANTINE", "name": "Quarantine", "type": "QUARANTINE"],
            ["code": "RETURNS", "name": "Returns bay", "type": "RETURNS"],
        ]
    }

    /// The locations (created once per database) and a fresh material the warehouse has heard of.
    static func warehouseSetUp(_ http: HTTPClient, token: String, unit: UnitOfMeasure = .m) async throws -> String {
        for location in warehouseLocations {
            let reply = try await http.call(.post, "/api/v1/inventory/locations", token: token, json: location)
            #expect(reply.status == 201 || reply.status == 409, "\(reply.body)")
        }
        let code = "MAT-\(UInt32.random(in: 0...UInt32.max))"
        try await publish(
            http,
            MaterialCreated(
                material: Material(
                    code: code, name: "Test fabric", category: .fabric, unit: unit, standardCost: Decimal(string: "1250.5"),
                    costEffectiveFrom: nil, active: true, version: 1, updatedAt: Date())))
        return code
    }

    static func publish<E: Event>(_ http: HTTPClient, _ event: E, id: UUID = UUID()) async throws {
        var envelope = Envelope(event, actor: .system("bomfinance"))
        envelope.header.messageId = id
        try await http.bus!.publish(envelope)
    }

    static func receipt(_ http: HTTPClient, token: String, item: String, qty: Any, to: String = "RM-MAIN") async throws -> HTTPClient.Reply {
        var reply = try await http.call(
            .post, "/api/v1/inventory/movements", token: token,
            json: ["type": "RECEIPT", "item_code": item, "qty": qty, "to_location": to, "reference": "GRN-1"])
        // The item event may still be on its way: until it lands the warehouse asks BOMFinance, which does not know an
        // item the test only announced (422 on item_code) or is busy (503).
        for _ in 0..<200 where reply.status == 503 || (reply.status == 422 && reply.errorFields == ["item_code"]) {
            try await Task.sleep(for: .milliseconds(50))
            reply = try await http.call(
                .post, "/api/v1/inventory/movements", token: token,
                json: ["type": "RECEIPT", "item_code": item, "qty": qty, "to_location": to, "reference": "GRN-1"])
        }
        return reply
    }

    static func balance(_ http: HTTPClient, token: String, item: String, location: String) async throws -> Decimal? {
        let list = try await http.call(.get, "/api/v1/inventory/balances?item=\(item)&location=\(location)", token: token).list
        return list.first.flatMap { ($0["qty"] as? NSNumber).map { Decimal(string: $0.stringValue)! } }
    }

    static func verifyLedger(_ http: HTTPClient) async throws {
        let (checked, differences) = try await LedgerVerification.differences(http.databases["warehouse"]!, logger: TestEnvironment.logger)
        #expect(checked > 0)
        #expect(differences.isEmpty, "\(differences)")
    }

    @Test("receipt → issue → short (422 with the debt hint) → debt approved → negative → receipts settle it in parts")
    func warehouseIssueAndDebt() async throws {
        let clock = TestClock()
        try await withStack(clock: clock) { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let material = try await Self.warehouseSetUp(http, token: wh)

            #expect(
                try await http.call(
                    .post, "/api/v1/inventory/movements", token: spv,
                    json: ["type": "RECEIPT", "item_code": material, "qty": 1, "to_location": "RM-MAIN"]
                ).status == 403)
            let received = try await Self.receipt(http, token: wh, item: material, qty: 100)
            #expect(received.status == 201, "\(received.body)")
            #expect((received.list.first?["unit_cost"] as? NSNumber)?.stringValue == "1250.5")
            // Bad input changes nothing: a qty finer than the unit, an unknown location, a missing reason.
            let tooFine = try await http.call(
                .post, "/api/v1/inventory/movements", token: wh,
                json: ["type": "RECEIPT", "item_code": material, "qty": 1.0005, "to_location": "RM-MAIN"])
            #expect(tooFine.status == 400 && tooFine.errorFields == ["qty"], "\(tooFine.body)")
            let nowhere = try await http.call(
                .post, "/api/v1/inventory/movements", token: wh,
                json: ["type": "RECEIPT", "item_code": material, "qty": 1, "to_location": "NOWHERE"])
            #expect(nowhere.status == 422 && nowhere.errorFields == ["to_location"])
            let noReason = try await http.call(
                .post, "/api/v1/inventory/movements", token: wh,
                json: ["type": "SCRAP", "item_code": material, "qty": 1, "from_location": "RM-MAIN"])
            #expect(noReason.status == 400 && noReason.errorFields == ["reason"])

            let spk = try await Self.newSPK(http, token: ppic, qty: 100)
            let spkCode = try #require(spk["code"] as? String)
            let issued = try await http.call(
                .post, "/api/v1/inventory/issues", token: wh,
                json: ["spk": spkCode, "lines": [["material_code": material, "qty": 60]]])
            #expect(issued.status == 201, "\(issued.body)")
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == 40)
            #expect(try await Self.balance(http, token: wh, item: material, location: "FLOOR-SEWING") == 60)

            let short = try await http.call(
                .post, "/api/v1/inventory/issues", token: wh,
                json: ["spk": spkCode, "lines": [["material_code": material, "qty": 50]]])
            #expect(short.status == 422)
            #expect((short.error["message"] as? String ?? "").contains("material-debt"))
            #expect(short.errorFields == [material])
            // Unwrapped first: an optional chain inside #expect's call makes the macro's expansion warn.
            let shortLine = (short.error["details"] as? [[String: Any]])?.first?["message"] as? String ?? ""
            #expect(shortLine.contains("short by 10"))
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == 40)
            // A return from the floor is a movement too.
            let back = try await http.call(
                .post, "/api/v1/inventory/returns", token: wh,
                json: ["spk": spkCode, "lines": [["material_code": material, "qty": 5]]])
            #expect(back.status == 201 && back.list.first?["type"] as? String == "RETURN_FROM_FLOOR", "\(back.body)")
            let rest = try await http.call(
                .post, "/api/v1/inventory/issues", token: wh,
                json: ["spk": spkCode, "lines": [["material_code": material, "qty": 45]]])
            #expect(rest.status == 201, "\(rest.body)")
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == 0)

            // Material debt: asked on the line, approved by both levels; the warehouse issues anyway.
            let spkId = try #require(spk["id"] as? String)
            var requested = try await http.call(
                .post, "/api/v1/production/material-debt/request", token: spv,
                json: ["spk_id": spkId, "material_code": material, "qty": 30, "reason": "supplier late"])
            // Approval learns the material from the same event as the warehouse: until it lands it asks BOMFinance,
            // which does not know a material the test only announced (422 on material_code).
            for _ in 0..<100 where requested.status == 404 || (requested.status == 422 && requested.errorFields == ["material_code"]) {
                try await Task.sleep(for: .milliseconds(50))
                requested = try await http.call(
                    .post, "/api/v1/production/material-debt/request", token: spv,
                    json: ["spk_id": spkId, "material_code": material, "qty": 30, "reason": "supplier late"])
            }
            let debtCode = try #require(requested.data["mod_id"] as? String)
            _ = try await http.call(.post, "/api/v1/production/approvals/\(debtCode)/approve", token: prodManager, json: ["approved": true])
            let approved = try await http.call(.post, "/api/v1/production/approvals/\(debtCode)/approve", token: wh, json: ["approved": true])
            #expect(approved.data["status"] as? String == "APPROVED")
            #expect(await eventually { (try? await Self.balance(http, token: wh, item: material, location: "RM-MAIN")) == -30 })
            let open = try await http.call(.get, "/api/v1/inventory/material-debts?status=OPEN&per_page=500", token: spv).list
            #expect(open.contains { $0["approval_code"] as? String == debtCode && ($0["open_qty"] as? NSNumber)?.intValue == 30 })

            // PPIC warns about a debt open longer than STITCH_DEBT_WARNING_DAYS (7).
            let alerts: @Sendable () async throws -> [[String: Any]] = {
                try await http.call(.get, "/api/v1/ppic/alerts?limit=1000", token: ppic).data["warning"] as? [[String: Any]] ?? []
            }
            #expect(try await alerts().allSatisfy { !($0["message"] as? String ?? "").contains(debtCode) })
            clock.set(factoryDate: factoryDay(8))
            #expect(
                await eventually {
                    (try? await alerts())?.contains {
                        $0["type"] as? String == "MATERIAL_DEBT_OPEN" && ($0["message"] as? String ?? "").contains(debtCode)
                    } == true
                })

            // The same approval again (a replayed message, or a new copy of it) is applied once.
            let request = try StitchJSON.decode(ApprovalRequest.self, from: Array(try JSONSerialization.data(withJSONObject: approved.data)))
            let replayId = UUID()
            for id in [replayId, replayId, UUID()] { try await Self.publish(http, ApprovalApproved(request: request), id: id) }
            try await Task.sleep(for: .seconds(1))
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == -30)
            let debtIssues = try await http.call(.get, "/api/v1/inventory/movements?item=\(material)&type=DEBT_ISSUE", token: wh)
            #expect(debtIssues.body["meta"].flatMap { ($0 as? [String: Any])?["total"] as? Int } == 1)

            // Receipts pay it back oldest first: 20 in part, then 25 the rest.
            #expect(try await Self.receipt(http, token: wh, item: material, qty: 20).status == 201)
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == -10)
            #expect(
                await eventually {
                    (try? await http.call(.get, "/api/v1/approvals/\(debtCode)", token: spv))?.data["status"] as? String == "PARTIALLY_SETTLED"
                })
            let settledReceipt = try await Self.receipt(http, token: wh, item: material, qty: 25)
            #expect(settledReceipt.list.map { $0["type"] as? String } == ["RECEIPT", "DEBT_SETTLEMENT"])
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == 15)
            let settled = try await http.call(.get, "/api/v1/inventory/material-debts?status=SETTLED&per_page=500", token: spv).list
            #expect(settled.contains { $0["approval_code"] as? String == debtCode && ($0["open_qty"] as? NSNumber)?.intValue == 0 })
            #expect(
                await eventually {
                    (try? await http.call(.get, "/api/v1/approvals/\(debtCode)", token: spv))?.data["status"] as? String == "SETTLED"
                })
            // The journal, newest first, filtered by reference.
            let journal = try await http.call(.get, "/api/v1/inventory/movements?reference=\(debtCode)", token: spv).list
            #expect(journal.map { ($0["qty"] as? NSNumber)?.intValue } == [10, 20])
            try await Self.verifyLedger(http)
        }
    }

    @Test("twenty concurrent issues for the last ten units: exactly ten succeed, the rest hear what is available; ledger agrees")
    func warehouseIssueRace() async throws {
        try await withStack { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let material = try await Self.warehouseSetUp(http, token: wh, unit: .pcs)
            #expect(try await Self.receipt(http, token: wh, item: material, qty: 10).status == 201)
            let spkCode = try #require(try await Self.newSPK(http, token: ppic, qty: 100)["code"] as? String)
            let statuses = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let reply = try await http.call(
                            .post, "/api/v1/inventory/issues", token: wh,
                            json: ["spk": spkCode, "lines": [["material_code": material, "qty": 1]]])
                        return (reply.status, reply.error["details"].map { "\($0)" } ?? "")
                    }
                }
                var all: [(Int, String)] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0.0 == 422 }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0.0 == 422 }.allSatisfy { $0.1.contains("available 0") })
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == 0)
            #expect(try await Self.balance(http, token: wh, item: material, location: "FLOOR-SEWING") == 10)
            // A correction is a reversing movement that points at the original, once.
            let issues = try await http.call(.get, "/api/v1/inventory/movements?item=\(material)&type=ISSUE&per_page=1", token: wh).list
            let original = try #require(issues.first?["id"] as? String)
            let reversal = try await http.call(
                .post, "/api/v1/inventory/movements", token: wh, json: ["reverses": original, "reason": "issued twice"])
            #expect(reversal.status == 201 && reversal.list.first?["reverses"] as? String == original, "\(reversal.body)")
            #expect(
                try await http.call(
                    .post, "/api/v1/inventory/movements", token: wh,
                    json: ["reverses": original, "reason": "again"]
                ).status == 409)
            #expect(try await Self.balance(http, token: wh, item: material, location: "RM-MAIN") == 1)
            try await Self.verifyLedger(http)
        }
    }

    @Test("cartons: register (SSCC, label) → receive by barcode → verify mismatch → quarantine; confirm → FG → ship → customer return")
    func warehouseCartons() async throws {
        try await withStack { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)
            try await Self.publish(
                http,
                ArticleCreated(
                    article: Article(
                        code: "BEAR-30CM", name: "Bear 30 cm", customer: nil, route: [.sewing],
                        labourMinutes: [], active: true, version: 1, updatedAt: Date())))
            try await http.ensureArticle("BEAR-30CM")
            let order = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": "bear-30cm", "qty": 100, "start_date": factoryDay(-1), "due_date": factoryDay(7),
                    "stages": ["SEWING", "PACKING"],
                ])
            #expect(order.status == 201, "\(order.body)")
            let orderCode = try #require(order.data["code"] as? String)
            let spkCode = try #require((order.data["spks"] as? [[String: Any]])?.last?["code"] as? String)
            func register(_ qty: Int) async throws -> [String: Any] {
                var reply = try await http.call(
                    .post, "/api/v1/warehouse/cartons", token: spv,
                    json: ["spk": spkCode, "article_code": "bear-30cm", "qty": qty])
                for _ in 0..<200 where reply.status == 503 {
                    try await Task.sleep(for: .milliseconds(50))
                    reply = try await http.call(
                        .post, "/api/v1/warehouse/cartons", token: spv,
                        json: ["spk": spkCode, "article_code": "bear-30cm", "qty": qty])
                }
                #expect(reply.status == 201, "\(reply.body)")
                return reply.data
            }
            #expect(
                try await http.call(
                    .post, "/api/v1/warehouse/cartons", token: http.login("staff_sewing", "staff-dev-123"),
                    json: ["spk": spkCode, "article_code": "bear-30cm", "qty": 24]
                ).status == 403)
            let first = try await register(24)
            let sscc = try #require(first["sscc"] as? String)
            #expect(SSCC.isValid(sscc) && sscc.hasPrefix("08991234"))
            #expect((first["label_zpl"] as? String ?? "").contains(sscc) && (first["label_text"] as? String ?? "").contains(sscc))
            let cartonId = try #require(first["id"] as? String)

            let scan = { (step: String, body: [String: Any]) in
                try await http.call(.post, "/api/v1/warehouse/finishgood/\(step)", token: wh, json: body)
            }
            #expect(try await scan("receive", ["barcode": "123456789012345678"]).status == 422)
            let unknown = try SSCC.make(companyPrefix: "8991234", serial: 999_999_999)
            #expect(try await scan("receive", ["barcode": unknown]).errorFields == ["barcode"])
            #expect(try await scan("confirm", ["carton_id": cartonId]).status == 409)
            let received = try await scan("receive", ["barcode": "(00)\(sscc)"])
            #expect(received.status == 200 && received.data["status"] as? String == "RECEIVED")
            let again = try await scan("receive", ["barcode": sscc])
            #expect(again.status == 200 && again.data["updated_at"] as? String == received.data["updated_at"] as? String)
            let mismatch = try await scan("verify", ["carton_id": cartonId, "article": "ELEPHANT-20CM"])
            #expect(mismatch.data["status"] as? String == "QUARANTINED" && mismatch.data["location"] as? String == "QUARANTINE")
            #expect((mismatch.data["discrepancy"] as? String ?? "").contains("ELEPHANT-20CM"))
            #expect(try await scan("confirm", ["carton_id": cartonId]).status == 409)

            let before = try await Self.balance(http, token: wh, item: "BEAR-30CM", location: "FG-MAIN") ?? 0
            let second = try await register(24)
            let secondId = try #require(second["id"] as? String)
            _ = try await scan("receive", ["carton_id": secondId])
            #expect(try await scan("verify", ["carton_id": secondId, "article": "bear-30cm"]).data["status"] as? String == "VERIFIED")
            let noReason = try await scan("confirm", ["carton_id": secondId, "qty": 22])
            #expect(noReason.status == 400 && noReason.errorFields == ["reason"])
            let confirmed = try await scan("confirm", ["carton_id": secondId, "qty": 22, "reason": "two missing"])
            #expect(confirmed.data["status"] as? String == "CONFIRMED" && confirmed.data["confirmed_qty"] as? Int == 22)
            #expect(try await Self.balance(http, token: wh, item: "BEAR-30CM", location: "FG-MAIN") == before + 22)
            let events = try await http.databases["warehouse"]!.rows(
                "SELECT count(*)::int FROM outbox WHERE message_type = 'warehouse.carton.confirmed.v1'", logger: TestEnvironment.logger)
            #expect(try events.first?.decode(Int.self) ?? 0 >= 1)

            // Production shows the order's finished goods in the warehouse; PPIC counts them per day and order.
            #expect(
                await eventually {
                    (try? await http.call(.get, "/api/v1/production/orders/\(orderCode)", token: ppic))?.data["finished_in_warehouse"] as? Int == 22
                })
            #expect(
                await eventually {
                    let report = (try? await http.call(.get, "/api/v1/ppic/reports/finished-goods", token: ppic))?.data ?? [:]
                    return (report["by_order"] as? [[String: Any]] ?? []).contains {
                        $0["order_code"] as? String == orderCode && $0["qty"] as? Int == 22
                    }
                })

            let shipped = try await http.call(
                .post, "/api/v1/warehouse/finishgood/\(secondId)/shipment", token: wh,
                json: ["destination": "PT Toys Jakarta", "method": "TRUCK"])
            #expect(shipped.status == 201, "\(shipped.body)")
            let note = try #require(shipped.data["code"] as? String)
            #expect(note.range(of: #"^DN-\d{8}-\d{4}$"#, options: .regularExpression) != nil)
            let packing = try await http.call(.get, "/api/v1/warehouse/delivery-notes/\(note)", token: spv).data
            #expect((packing["cartons"] as? [[String: Any]])?.map { $0["sscc"] as? String } == [second["sscc"] as? String])
            #expect(packing["total_qty"] as? Int == 22)
            #expect(try await Self.balance(http, token: wh, item: "BEAR-30CM", location: "FG-MAIN") == before)
            #expect(
                try await http.call(
                    .post, "/api/v1/warehouse/finishgood/\(secondId)/shipment", token: wh,
                    json: ["destination": "x", "method": "TRUCK"]
                ).status == 409)
            #expect(
                try await http.call(
                    .post, "/api/v1/warehouse/finishgood/\(cartonId)/shipment", token: wh,
                    json: ["destination": "x", "method": "TRUCK"]
                ).status == 409)

            let tooMany = try await http.call(
                .post, "/api/v1/warehouse/returns", token: wh,
                json: [
                    "delivery_note": note, "disposition": "RESTOCK", "lines": [["carton": second["sscc"]!, "qty": 23, "reason": "damaged"]],
                ])
            #expect(tooMany.status == 422 && tooMany.errorFields == ["lines[0].qty"])
            let returned = try await http.call(
                .post, "/api/v1/warehouse/returns", token: wh,
                json: [
                    "delivery_note": note, "disposition": "RESTOCK", "lines": [["carton": second["sscc"]!, "qty": 5, "reason": "wrong colour"]],
                ])
            #expect(returned.status == 201, "\(returned.body)")
            #expect(try await Self.balance(http, token: wh, item: "BEAR-30CM", location: "FG-MAIN") == before + 5)
            let scrapped = try await http.call(
                .post, "/api/v1/warehouse/returns", token: wh,
                json: [
                    "delivery_note": note, "disposition": "SCRAP", "lines": [["article": "BEAR-30CM", "qty": 2, "reason": "torn"]],
                ])
            #expect(scrapped.status == 201)
            #expect(try await Self.balance(http, token: wh, item: "BEAR-30CM", location: "RETURNS") == 0)
            try await Self.verifyLedger(http)
        }
    }
}
