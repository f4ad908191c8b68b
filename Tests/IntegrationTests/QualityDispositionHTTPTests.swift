import Contracts
import Foundation
import Testing

/// What an NCR's decision does to the stock, over HTTP: a failed lot's cartons scrapped (and valued), released
/// by a concession, or re-inspected after rework and then confirmed; a failed receipt returned to its supplier,
/// scrapped or used as is; a decision the warehouse cannot carry out shows on the NCR.
extension ProductionHTTPTests {
    /// A manufacturing order of `article` (SEWING, PACKING): its code and its PACKING SPK.
    static func qualityOrder(_ http: HTTPClient, article: String, token: String) async throws -> (code: String, spk: String) {
        try await http.ensureArticle(article)
        let order = try await http.call(
            .post, "/api/v1/production/orders", token: token,
            json: [
                "article_code": article, "qty": 200, "start_date": factoryDay(-1), "due_date": factoryDay(7), "stages": ["SEWING", "PACKING"],
            ])
        #expect(order.status == 201, "\(order.body)")
        return (try #require(order.data["code"] as? String), try #require((order.data["spks"] as? [[String: Any]])?.last?["code"] as? String))
    }

    /// A carton of `qty` registered on `spk` (by `packer`), received and verified (by `warehouse`): its id.
    static func verifiedCarton(_ http: HTTPClient, spk: String, article: String, qty: Int, packer: String, warehouse: String) async throws -> String {
        let body: [String: Any] = ["spk": spk, "article_code": article, "qty": qty]
        var reply = try await http.call(.post, "/api/v1/warehouse/cartons", token: packer, json: body)
        for _ in 0..<200 where reply.status == 503 || reply.status == 422 {
            try await Task.sleep(for: .milliseconds(50))
            reply = try await http.call(.post, "/api/v1/warehouse/cartons", token: packer, json: body)
        }
        #expect(reply.status == 201, "\(reply.body)")
        let id = try #require(reply.data["id"] as? String)
        _ = try await http.call(.post, "/api/v1/warehouse/finishgood/receive", token: warehouse, json: ["carton_id": id])
        let verified = try await http.call(
            .post, "/api/v1/warehouse/finishgood/verify", token: warehouse, json: ["carton_id": id, "article": article])
        #expect(verified.data["status"] as? String == "VERIFIED", "\(verified.body)")
        return id
    }

    static func cartonStatus(_ http: HTTPClient, _ id: String, token: String) async -> String? {
        (try? await http.call(.get, "/api/v1/warehouse/cartons/\(id)", token: token))?.data["status"] as? String
    }

    /// The NCR once Warehouse answered its decision (stock_status DONE or FAILED).
    static func settledNCR(_ http: HTTPClient, _ code: String, token: String) async throws -> [String: Any] {
        _ = await eventually {
            let status = (try? await http.call(.get, "/api/v1/quality/ncrs/\(code)", token: token))?.data["stock_status"] as? String
            return status == "DONE" || status == "FAILED"
        }
        return try await http.call(.get, "/api/v1/quality/ncrs/\(code)", token: token).data
    }

    @Test(
        "NCR decisions on a failed lot: REWORK then a re-inspection that passes releases the cartons to be confirmed; SCRAP scraps them; USE_AS_IS (MANAGER) releases them"
    )
    func qualityLotDispositions() async throws {
        try await withStack { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let qc = try await http.login("qc", "qc-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)
            let article = Self.unique("QRWK")
            try await Self.publish(
                http,
                ArticleCreated(
                    article: Article(
                        code: article, name: "Reworked bear", customer: nil, route: [.sewing],
                        labourMinutes: [], active: true, version: 1, updatedAt: Date())))
            let quarantined = { () async throws -> Decimal? in try await Self.balance(http, token: wh, item: article, location: "QUARANTINE") }
            let finished = { () async throws -> Decimal? in try await Self.balance(http, token: wh, item: article, location: "FG-MAIN") }
            let confirm = { (id: String) in try await http.call(.post, "/api/v1/warehouse/finishgood/confirm", token: wh, json: ["carton_id": id]) }
            /// A lot of cartons of `quantities` that fails on 2 open seams: its code, its NCR and its cartons (in QUARANTINE).
            func failedLot(_ quantities: [Int]) async throws -> (lot: String, ncr: String, cartons: [String]) {
                let order = try await Self.qualityOrder(http, article: article, token: ppic)
                var cartons: [String] = []
                for qty in quantities {
                    cartons.append(try await Self.verifiedCarton(http, spk: order.spk, article: article, qty: qty, packer: spv, warehouse: wh))
                }
                let lot = try await http.call(.post, "/api/v1/quality/inspections", token: qc, json: ["order": order.code, "cartons": cartons])
                #expect(lot.status == 201, "\(lot.body)")
                let code = try #require(lot.data["code"] as? String)
                let failed = try await http.call(
                    .post, "/api/v1/quality/inspections/\(code)/result", token: qc,
                    json: ["defects": [["code": "OPEN_SEAM", "qty": 2]]])
                #expect(failed.data["status"] as? String == "FAILED", "\(failed.body)")
                for carton in cartons { #expect(await eventually { await Self.cartonStatus(http, carton, token: wh) == "QUARANTINED" }) }
                return (code, try #require(failed.data["ncr_code"] as? String), cartons)
            }

            // REWORK, then a re-inspection of the same cartons: its PASS releases them, and confirming moves them
            // from QUARANTINE into finished goods.
            let reworked = try await failedLot([40, 40])
            #expect(try await quarantined() == 80)
            let early = try await http.call(.post, "/api/v1/quality/inspections/\(reworked.lot)/reinspect", token: qc)
            #expect(early.status == 409 && (early.error["message"] as? String ?? "").contains("REWORK"), "\(early.body)")
            let rework = try await http.call(
                .post, "/api/v1/quality/ncrs/\(reworked.ncr)/decide", token: prodManager,
                json: ["decision": "REWORK", "rework_stage": "FINISHING"])
            #expect(rework.status == 200 && !(rework.data["stock_status"] is String), "\(rework.body)")
            #expect(try await http.call(.post, "/api/v1/quality/inspections/\(reworked.lot)/reinspect", token: spv).status == 403)
            let again = try await http.call(.post, "/api/v1/quality/inspections/\(reworked.lot)/reinspect", token: qc)
            #expect(
                again.status == 201 && again.data["reinspection_of"] as? String == reworked.lot && again.data["lot_size"] as? Int == 80,
                "\(again.body)")
            let second = try #require(again.data["code"] as? String)
            #expect(try await http.call(.post, "/api/v1/quality/inspections/\(reworked.lot)/reinspect", token: qc).status == 409)
            let waiting = try await confirm(reworked.cartons[0])
            #expect(waiting.status == 409, "\(waiting.body)")
            let passed = try await http.call(.post, "/api/v1/quality/inspections/\(second)/result", token: qc, json: ["defects": []])
            #expect(passed.data["status"] as? String == "PASSED", "\(passed.body)")
            for carton in reworked.cartons { #expect(await eventually { await Self.cartonStatus(http, carton, token: wh) == "VERIFIED" }) }
            for carton in reworked.cartons {
                let confirmed = try await confirm(carton)
                #expect(confirmed.status == 200 && confirmed.data["status"] as? String == "CONFIRMED", "\(confirmed.body)")
            }
            #expect(try await quarantined() == 0)
            #expect(try await finished() == 80)

            // SCRAP: the cartons leave QUARANTINE as SCRAP and are SCRAPPED; finished goods cannot go back to a supplier.
            let scrapped = try await failedLot([30, 30])
            let wrong = try await http.call(
                .post, "/api/v1/quality/ncrs/\(scrapped.ncr)/decide", token: prodManager,
                json: ["decision": "RETURN_TO_SUPPLIER"])
            #expect(wrong.status == 422 && wrong.errorFields == ["decision"], "\(wrong.body)")
            let scrap = try await http.call(.post, "/api/v1/quality/ncrs/\(scrapped.ncr)/decide", token: prodManager, json: ["decision": "SCRAP"])
            #expect(scrap.status == 200 && scrap.data["stock_status"] as? String == "PENDING", "\(scrap.body)")
            let done = try await Self.settledNCR(http, scrapped.ncr, token: ppic)
            #expect(done["stock_status"] as? String == "DONE", "\(done)")
            for carton in scrapped.cartons { #expect(await Self.cartonStatus(http, carton, token: wh) == "SCRAPPED") }
            #expect(try await quarantined() == 0)
            let scraps = try await http.call(.get, "/api/v1/inventory/movements?type=SCRAP&item=\(article)&per_page=50", token: wh).list
            #expect(scraps.filter { $0["reference"] as? String == scrapped.ncr }.count == 2, "\(scraps)")
            #expect(
                await eventually {
                    let lines =
                        (try? await http.call(.get, "/api/v1/costing/scrap?ncr=\(scrapped.ncr)", token: manager))?.data["lines"] as? [[String: Any]]
                    return lines?.count == 2
                })
            #expect(try await confirm(scrapped.cartons[0]).status == 409)

            // USE_AS_IS is a concession: MANAGER only; the cartons are released and confirmed out of QUARANTINE.
            let conceded = try await failedLot([25])
            #expect(
                try await http.call(
                    .post, "/api/v1/quality/ncrs/\(conceded.ncr)/decide", token: prodManager,
                    json: ["decision": "USE_AS_IS"]
                ).status == 403)
            let concession = try await http.call(
                .post, "/api/v1/quality/ncrs/\(conceded.ncr)/decide", token: manager,
                json: ["decision": "USE_AS_IS", "notes": "buyer accepts the seams"])
            #expect(concession.status == 200, "\(concession.body)")
            #expect(try await Self.settledNCR(http, conceded.ncr, token: ppic)["stock_status"] as? String == "DONE")
            #expect(await Self.cartonStatus(http, conceded.cartons[0], token: wh) == "VERIFIED")
            let released = try await confirm(conceded.cartons[0])
            #expect(released.status == 200 && released.data["status"] as? String == "CONFIRMED", "\(released.body)")
            #expect(try await quarantined() == 0)
            #expect(try await finished() == 105)
            try await Self.verifyLedger(http)
        }
    }

    @Test(
        "NCR decisions on a failed receipt: RETURN_TO_SUPPLIER and SCRAP (valued at standard cost) take it out of QUARANTINE, USE_AS_IS releases it; a decision the stock cannot carry shows on the NCR"
    )
    func qualityReceiptDispositions() async throws {
        try await withStack { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let qc = try await http.login("qc", "qc-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)
            let label = try await Self.inspectedLabel(http)
            /// Receives `qty` (held in QUARANTINE) and fails its incoming inspection: the NCR's code.
            func rejected(_ qty: Int) async throws -> String {
                let reply = try await Self.receipt(http, token: wh, item: label, qty: qty)
                let movement = try #require(reply.list.first?["id"] as? String)
                @Sendable func open() async -> String? {
                    let list = (try? await http.call(.get, "/api/v1/quality/incoming-inspections?status=OPEN&per_page=500", token: qc))?.list ?? []
                    return list.first { ($0["movement_id"] as? String)?.lowercased() == movement.lowercased() }?["code"] as? String
                }
                _ = await eventually { await open() != nil }
                let code = await open()
                let failed = try await http.call(
                    .post, "/api/v1/quality/incoming-inspections/\(try #require(code))/result", token: qc,
                    json: ["result": "FAIL", "notes": "print smudged"])
                #expect(failed.data["status"] as? String == "FAILED", "\(failed.body)")
                let ncr = try #require(failed.data["ncr_code"] as? String)
                #expect(try await http.call(.get, "/api/v1/quality/ncrs/\(ncr)", token: qc).data["material_code"] as? String == label)
                return ncr
            }
            let quarantined = { () async throws -> Decimal? in try await Self.balance(http, token: wh, item: label, location: "QUARANTINE") }

            let back = try await rejected(100)
            let returned = try await http.call(.post, "/api/v1/quality/ncrs/\(back)/decide", token: qc, json: ["decision": "RETURN_TO_SUPPLIER"])
            #expect(returned.status == 200, "\(returned.body)")
            #expect(try await Self.settledNCR(http, back, token: qc)["stock_status"] as? String == "DONE")
            #expect(try await quarantined() == 0)
            let moves = try await http.call(.get, "/api/v1/inventory/movements?type=RETURN_TO_SUPPLIER&item=\(label)", token: wh).list
            #expect(moves.count == 1 && moves.first?["from_location"] as? String == "QUARANTINE", "\(moves)")

            let scrap = try await rejected(50)
            #expect(try await http.call(.post, "/api/v1/quality/ncrs/\(scrap)/decide", token: qc, json: ["decision": "SCRAP"]).status == 200)
            #expect(try await Self.settledNCR(http, scrap, token: qc)["stock_status"] as? String == "DONE")
            #expect(try await quarantined() == 0)
            // BOMFinance values it: 50 × 100.
            #expect(
                await eventually {
                    let costing = (try? await http.call(.get, "/api/v1/costing/scrap?ncr=\(scrap)", token: manager))?.data ?? [:]
                    return (costing["total_value"] as? NSNumber)?.doubleValue == 5000 && (costing["lines"] as? [Any])?.count == 1
                })
            #expect(try await http.call(.get, "/api/v1/costing/scrap", token: qc).status == 403)

            let used = try await rejected(20)
            #expect(try await http.call(.post, "/api/v1/quality/ncrs/\(used)/decide", token: qc, json: ["decision": "USE_AS_IS"]).status == 403)
            #expect(try await http.call(.post, "/api/v1/quality/ncrs/\(used)/decide", token: manager, json: ["decision": "USE_AS_IS"]).status == 200)
            #expect(try await Self.settledNCR(http, used, token: qc)["stock_status"] as? String == "DONE")
            #expect(try await quarantined() == 0)
            #expect(try await Self.balance(http, token: wh, item: label, location: "RM-MAIN") == 20)

            // By hand: more than the location holds cannot be scrapped — the NCR says so and may be decided again.
            let hand = try await http.call(
                .post, "/api/v1/quality/ncrs", token: qc,
                json: [
                    "title": "Labels faded in the store", "material_code": label, "location": "RM-MAIN", "qty": 1000,
                ])
            #expect(hand.status == 201 && hand.data["location"] as? String == "RM-MAIN", "\(hand.body)")
            let handCode = try #require(hand.data["code"] as? String)
            #expect(try await http.call(.post, "/api/v1/quality/ncrs/\(handCode)/decide", token: qc, json: ["decision": "SCRAP"]).status == 200)
            let refused = try await Self.settledNCR(http, handCode, token: qc)
            #expect(refused["stock_status"] as? String == "FAILED" && (refused["stock_note"] as? String ?? "").contains("Not enough"), "\(refused)")
            #expect(try await Self.balance(http, token: wh, item: label, location: "RM-MAIN") == 20)
            let redecided = try await http.call(.post, "/api/v1/quality/ncrs/\(handCode)/decide", token: manager, json: ["decision": "USE_AS_IS"])
            #expect(redecided.status == 200, "\(redecided.body)")
            #expect(try await Self.settledNCR(http, handCode, token: qc)["stock_status"] as? String == "DONE")
            #expect(try await http.call(.post, "/api/v1/quality/ncrs/\(handCode)/decide", token: manager, json: ["decision": "SCRAP"]).status == 409)

            let nothing = try await http.call(.post, "/api/v1/quality/ncrs", token: qc, json: ["title": "Noise at the sewing line", "qty": 1])
            let nothingCode = try #require(nothing.data["code"] as? String)
            let noStock = try await http.call(.post, "/api/v1/quality/ncrs/\(nothingCode)/decide", token: qc, json: ["decision": "SCRAP"])
            #expect(noStock.status == 422 && noStock.errorFields == ["decision"], "\(noStock.body)")
            try await Self.verifyLedger(http)
        }
    }
}
