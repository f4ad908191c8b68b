import Contracts
import Foundation
import Testing

/// Quality over HTTP: defect codes, defects on daily input and their Pareto; final inspection lots
/// that gate the warehouse's cartons; NCRs, their decisions and escalation. Nested in the one
/// serialized HTTP suite (services share queue names).
extension ProductionHTTPTests {
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }

    /// A new label material, announced as BOMFinance announces it: the test stack inspects LABEL on receipt,
    /// so every receipt of it is held in QUARANTINE for incoming inspection.
    static func inspectedLabel(_ http: HTTPClient) async throws -> String {
        let label = unique("LBL")
        try await publish(
            http,
            MaterialCreated(
                material: Material(
                    code: label, name: "Care label", category: .label, unit: .pcs, standardCost: 100, costEffectiveFrom: nil, active: true,
                    version: 1, updatedAt: Date())))
        return label
    }

    @Test("defect codes: seeded per stage, QC adds one; daily input's defects must name them and add up; Pareto ranks them")
    func qualityDefectsAndPareto() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let qc = try await http.login("qc", "qc-dev-123")

            let sewing = try await http.call(.get, "/api/v1/quality/defect-codes?stage=SEWING", token: staff)
            #expect(sewing.status == 200, "\(sewing.body)")
            let codes = sewing.list.compactMap { $0["code"] as? String }
            #expect(codes.contains("OPEN_SEAM") && codes.contains("PUCKERING") && !codes.contains("STAIN"))

            let newCode = ["code": "needle_mark", "stage": "SEWING", "name": "Needle mark", "severity": "MINOR"]
            #expect(try await http.call(.post, "/api/v1/quality/defect-codes", token: staff, json: newCode).status == 403)
            let saved = try await http.call(.post, "/api/v1/quality/defect-codes", token: qc, json: newCode)
            #expect(saved.status == 201 && saved.data["code"] as? String == "NEEDLE_MARK", "\(saved.body)")
            let bad = try await http.call(
                .post, "/api/v1/quality/defect-codes", token: qc,
                json: ["code": "no spaces", "stage": "SEWING", "name": "x", "severity": "MINOR"])
            #expect(bad.status == 400 && bad.errorFields == ["code"], "\(bad.body)")

            let article = Self.unique("QART")
            try await http.ensureArticle(article)
            let spk = try await http.call(
                .post, "/api/v1/production/spks", token: ppic,
                json: [
                    "article_code": article, "stage": "SEWING", "department": "SEWING", "original_qty": 500,
                    "start_date": factoryDay(-3), "due_date": factoryDay(7),
                ])
            #expect(spk.status == 201, "\(spk.body)")
            let code = try #require(spk.data["code"] as? String)
            let spkId = try #require(spk.data["id"] as? String)
            let path = "/api/v1/production/spk/\(code)/daily-input"
            // Production learns the codes from Quality's events: wait until it knows the new one.
            var first = try await http.call(
                .post, path, token: staff,
                json: [
                    "date": factoryDay(), "qty": 50, "reject_qty": 5,
                    "defects": [["code": "OPEN_SEAM", "qty": 3], ["code": "needle_mark", "qty": 2]],
                ])
            for _ in 0..<200 where first.status == 422 {
                try await Task.sleep(for: .milliseconds(50))
                first = try await http.call(
                    .post, path, token: staff,
                    json: [
                        "date": factoryDay(), "qty": 50, "reject_qty": 5,
                        "defects": [["code": "OPEN_SEAM", "qty": 3], ["code": "needle_mark", "qty": 2]],
                    ])
            }
            #expect(first.status == 200, "\(first.body)")
            let mismatch = try await http.call(
                .post, path, token: staff,
                json: [
                    "date": factoryDay(), "qty": 10, "reject_qty": 4, "defects": [["code": "OPEN_SEAM", "qty": 3]],
                ])
            #expect(mismatch.status == 422 && mismatch.errorFields == ["defects"], "\(mismatch.body)")
            let unknown = try await http.call(
                .post, path, token: staff,
                json: [
                    "date": factoryDay(), "qty": 10, "reject_qty": 1, "defects": [["code": "STAIN", "qty": 1]],
                ])
            #expect(unknown.status == 422 && unknown.errorFields == ["defects[0].code"], "\(unknown.body)")
            let negative = try await http.call(
                .post, path, token: staff,
                json: [
                    "date": factoryDay(), "qty": 10, "reject_qty": 1, "defects": [["code": "OPEN_SEAM", "qty": -1]],
                ])
            #expect(negative.status == 400 && negative.errorFields == ["defects[0].qty"], "\(negative.body)")
            let second = try await http.call(
                .post, path, token: staff,
                json: [
                    "date": factoryDay(), "qty": 40, "reject_qty": 4, "defects": [["code": "OPEN_SEAM", "qty": 4]],
                ])
            #expect(second.status == 200, "\(second.body)")
            // The phone's batch carries defects too.
            let batch = try await http.call(
                .post, "/api/v1/production/mobile/daily-input", token: staff,
                json: [
                    "entries": [
                        [
                            "spk_id": spkId, "date": factoryDay(), "qty": 10, "reject_qty": 1, "client_entry_id": Self.unique("phone"),
                            "defects": [["code": "PUCKERING", "qty": 1]],
                        ],
                        [
                            "spk_id": spkId, "date": factoryDay(), "qty": 10, "reject_qty": 2, "client_entry_id": Self.unique("phone"),
                            "defects": [["code": "PUCKERING", "qty": 1]],
                        ],
                    ]
                ])
            #expect(batch.status == 200, "\(batch.body)")
            let results = batch.body["data"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? String } == ["recorded", "rejected"], "\(batch.body)")

            let pareto = "/api/v1/quality/defects/pareto?stage=SEWING&article_code=\(article.lowercased())&from=\(factoryDay(-1))&to=\(factoryDay())"
            #expect(
                await eventually {
                    let data = (try? await http.call(.get, pareto, token: ppic))?.data ?? [:]
                    return data["total_defects"] as? Int == 10
                })
            let ranked = try await http.call(.get, pareto, token: ppic).data
            let lines = try #require(ranked["lines"] as? [[String: Any]])
            #expect(lines.map { $0["code"] as? String } == ["OPEN_SEAM", "NEEDLE_MARK", "PUCKERING"])
            #expect(lines.map { $0["qty"] as? Int } == [7, 2, 1])
            #expect((lines.first?["share_percent"] as? NSNumber)?.doubleValue == 70)
            #expect((lines.last?["cumulative_percent"] as? NSNumber)?.doubleValue == 100)
            #expect(ranked["total_output"] as? Int == 55 + 44 + 11)
            let backwards = try await http.call(.get, "/api/v1/quality/defects/pareto?from=\(factoryDay())&to=\(factoryDay(-1))", token: ppic)
            #expect(backwards.status == 400 && backwards.errorFields == ["from"])

            // PPIC warns when one code is more than STITCH_DEFECT_SHARE_WARNING_PERCENT (5) of a stage's output.
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let embroidery = try await http.call(
                .post, "/api/v1/production/spks", token: ppic,
                json: [
                    "article_code": article, "stage": "EMBROIDERY", "department": "EMBROIDERY", "original_qty": 500,
                    "start_date": factoryDay(-3), "due_date": factoryDay(7),
                ])
            let embroideryCode = try #require(embroidery.data["code"] as? String)
            let threads = try await http.call(
                .post, "/api/v1/production/spk/\(embroideryCode)/daily-input", token: prodManager,
                json: [
                    "date": factoryDay(), "qty": 1, "reject_qty": 200, "defects": [["code": "THREAD_BREAK", "qty": 200]],
                ])
            #expect(threads.status == 200, "\(threads.body)")
            #expect(
                await eventually {
                    let warnings =
                        (try? await http.call(.get, "/api/v1/ppic/alerts?limit=1000", token: ppic))?.data["warning"] as? [[String: Any]] ?? []
                    return warnings.contains {
                        $0["type"] as? String == "DEFECT_SHARE_HIGH" && $0["stage"] as? String == "EMBROIDERY"
                            && ($0["message"] as? String ?? "").contains("THREAD_BREAK")
                    }
                })
        }
    }

    @Test("final inspection: Z1.4 plan; a passed lot's cartons are confirmed, a failed lot's go to QUARANTINE with an NCR; decisions and escalation")
    func qualityFinalInspection() async throws {
        let clock = TestClock()
        try await withStack(clock: clock) { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let qc = try await http.login("qc", "qc-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)
            let article = Self.unique("QBEAR")
            try await Self.publish(
                http,
                ArticleCreated(
                    article: Article(
                        code: article, name: "Inspected bear", customer: nil, route: [.sewing],
                        labourMinutes: [], active: true, version: 1, updatedAt: Date())))

            func order() async throws -> (code: String, spk: String) { try await Self.qualityOrder(http, article: article, token: ppic) }
            func carton(_ spk: String, _ qty: Int) async throws -> String {
                try await Self.verifiedCarton(http, spk: spk, article: article, qty: qty, packer: spv, warehouse: wh)
            }
            func lotKnownToWarehouse(_ code: String, _ status: String) async -> Bool {
                await eventually {
                    let rows = try? await http.databases["warehouse"]!.rows(
                        "SELECT status FROM inspection_lots WHERE code = \(code)", logger: TestEnvironment.logger)
                    return (try? rows?.first?.decode(String.self)) == status
                }
            }
            let confirm = { (id: String) in try await http.call(.post, "/api/v1/warehouse/finishgood/confirm", token: wh, json: ["carton_id": id]) }

            // A lot of 3 × 40 = 120 units: code letter F, sample 20; AQL 2.5 accepts 1 major, AQL 4.0 accepts 2 minor.
            let good = try await order()
            let cartons = [try await carton(good.spk, 40), try await carton(good.spk, 40), try await carton(good.spk, 40)]
            #expect(
                try await http.call(.post, "/api/v1/quality/inspections", token: spv, json: ["order": good.code, "cartons": cartons]).status == 403)
            let wrongOrder = try await http.call(
                .post, "/api/v1/quality/inspections", token: qc, json: ["order": "MO-20000101-0001", "cartons": cartons])
            #expect(wrongOrder.status == 422 && wrongOrder.errorFields.first == "cartons[0]", "\(wrongOrder.body)")
            let lot = try await http.call(
                .post, "/api/v1/quality/inspections", token: qc, json: ["order": good.code.lowercased(), "cartons": cartons])
            #expect(lot.status == 201, "\(lot.body)")
            let lotCode = try #require(lot.data["code"] as? String)
            #expect(lot.data["lot_size"] as? Int == 120 && lot.data["sample_size"] as? Int == 20)
            let major = lot.data["major"] as? [String: Any] ?? [:]
            let minor = lot.data["minor"] as? [String: Any] ?? [:]
            #expect(major["code_letter"] as? String == "F" && major["accept"] as? Int == 1 && major["reject"] as? Int == 2)
            #expect(minor["accept"] as? Int == 2 && minor["reject"] as? Int == 3)
            #expect((lot.data["cartons"] as? [[String: Any]] ?? []).contains { $0["open"] as? Bool == true })
            #expect(
                try await http.call(.post, "/api/v1/quality/inspections", token: qc, json: ["order": good.code, "cartons": [cartons[0]]]).status
                    == 409)

            #expect(await lotKnownToWarehouse(lotCode, "OPEN"))
            let held = try await confirm(cartons[0])
            #expect(held.status == 409 && (held.error["message"] as? String ?? "").contains(lotCode), "\(held.body)")
            let unknownCode = try await http.call(
                .post, "/api/v1/quality/inspections/\(lotCode)/result", token: qc,
                json: ["defects": [["code": "NOPE", "qty": 1]]])
            #expect(unknownCode.status == 422 && unknownCode.errorFields == ["defects[0].code"])
            let passed = try await http.call(
                .post, "/api/v1/quality/inspections/\(lotCode)/result", token: qc,
                json: ["defects": [["code": "OPEN_SEAM", "qty": 1], ["code": "PUCKERING", "qty": 2]]])
            #expect(passed.status == 200 && passed.data["status"] as? String == "PASSED", "\(passed.body)")
            #expect(try await http.call(.post, "/api/v1/quality/inspections/\(lotCode)/result", token: qc, json: ["defects": []]).status == 409)
            #expect(await lotKnownToWarehouse(lotCode, "PASSED"))
            let confirmed = try await confirm(cartons[0])
            #expect(confirmed.status == 200 && confirmed.data["status"] as? String == "CONFIRMED", "\(confirmed.body)")

            // A lot of 2 × 30 = 60 units (E; AQL 2.5 leads to F: sample 20, reject at 2 major) fails.
            let bad = try await order()
            let badCartons = [try await carton(bad.spk, 30), try await carton(bad.spk, 30)]
            let badLot = try await http.call(.post, "/api/v1/quality/inspections", token: qc, json: ["order": bad.code, "cartons": badCartons])
            #expect(badLot.status == 201 && badLot.data["sample_size"] as? Int == 20, "\(badLot.body)")
            let badCode = try #require(badLot.data["code"] as? String)
            let failed = try await http.call(
                .post, "/api/v1/quality/inspections/\(badCode)/result", token: qc,
                json: ["defects": [["code": "OPEN_SEAM", "qty": 2]], "notes": "seams open at the back"])
            #expect(failed.status == 200 && failed.data["status"] as? String == "FAILED", "\(failed.body)")
            let ncrCode = try #require(failed.data["ncr_code"] as? String)
            #expect(ncrCode.range(of: #"^NCR-\d{8}-\d{4}$"#, options: .regularExpression) != nil)
            #expect(
                await eventually {
                    let carton = (try? await http.call(.get, "/api/v1/warehouse/cartons/\(badCartons[1])", token: wh))?.data ?? [:]
                    return carton["status"] as? String == "QUARANTINED" && carton["location"] as? String == "QUARANTINE"
                })
            let refused = try await confirm(badCartons[0])
            #expect(refused.status == 409 && (refused.error["message"] as? String ?? "").contains(badCode), "\(refused.body)")
            let ncr = try await http.call(.get, "/api/v1/quality/ncrs/\(ncrCode)", token: ppic)
            #expect(ncr.data["status"] as? String == "OPEN" && ncr.data["inspection_code"] as? String == badCode && ncr.data["qty"] as? Int == 60)

            // Decisions: a concession needs MANAGER; the production manager orders rework; decided once.
            let concession = try await http.call(.post, "/api/v1/quality/ncrs/\(ncrCode)/decide", token: prodManager, json: ["decision": "USE_AS_IS"])
            #expect(concession.status == 403, "\(concession.body)")
            let noStage = try await http.call(.post, "/api/v1/quality/ncrs/\(ncrCode)/decide", token: prodManager, json: ["decision": "REWORK"])
            #expect(noStage.status == 422 && noStage.errorFields == ["rework_stage"], "\(noStage.body)")
            let rework = try await http.call(
                .post, "/api/v1/quality/ncrs/\(ncrCode)/decide", token: prodManager,
                json: ["decision": "rework", "rework_stage": "FINISHING", "notes": "resew the back seams"])
            #expect(
                rework.status == 200 && rework.data["status"] as? String == "DECIDED" && rework.data["decision"] as? String == "REWORK",
                "\(rework.body)")
            // Production opens a rework SPK for the lot's 60 at FINISHING.
            #expect(
                await eventually {
                    let spks = (try? await http.call(.get, "/api/v1/production/spks?stage=FINISHING&per_page=500", token: ppic))?.list ?? []
                    return spks.contains {
                        $0["article_code"] as? String == article && $0["original_qty"] as? Int == 60
                            && ($0["notes"] as? String ?? "").contains(ncrCode)
                    }
                })
            #expect(
                try await http.call(.post, "/api/v1/quality/ncrs/\(ncrCode)/decide", token: prodManager, json: ["decision": "SCRAP"]).status == 409)

            // By hand, undecided past STITCH_NCR_ESCALATION_HOURS (24): escalated, and then only MANAGER decides.
            let opened = try await http.call(
                .post, "/api/v1/quality/ncrs", token: qc,
                json: [
                    "title": "Wrong thread colour on the sewing line", "article_code": article, "stage": "SEWING", "qty": 12, "notes": "lot B",
                ])
            #expect(opened.status == 201 && opened.data["status"] as? String == "OPEN", "\(opened.body)")
            let handCode = try #require(opened.data["code"] as? String)
            #expect(try await http.call(.post, "/api/v1/quality/ncrs", token: qc, json: ["title": "x", "qty": 0]).errorFields == ["qty"])
            clock.set(factoryDate: factoryDay(2))
            #expect(
                await eventually {
                    (try? await http.call(.get, "/api/v1/quality/ncrs/\(handCode)", token: ppic))?.data["status"] as? String == "ESCALATED"
                })
            let escalated = try await http.call(.get, "/api/v1/quality/ncrs?status=ESCALATED&per_page=500", token: ppic).list
            #expect(escalated.contains { $0["code"] as? String == handCode })
            // PPIC shows it as an alert until it is decided.
            #expect(
                await eventually {
                    let warnings =
                        (try? await http.call(.get, "/api/v1/ppic/alerts?limit=1000", token: ppic))?.data["warning"] as? [[String: Any]] ?? []
                    return warnings.contains { $0["type"] as? String == "NCR_ESCALATED" && ($0["message"] as? String ?? "").contains(handCode) }
                })
            #expect(
                try await http.call(.post, "/api/v1/quality/ncrs/\(handCode)/decide", token: prodManager, json: ["decision": "SCRAP"]).status == 403)
            let scrapped = try await http.call(.post, "/api/v1/quality/ncrs/\(handCode)/decide", token: manager, json: ["decision": "SCRAP"])
            #expect(scrapped.status == 200 && scrapped.data["decision"] as? String == "SCRAP", "\(scrapped.body)")
        }
    }

    @Test("incoming inspection: a receipt of a category inspected on receipt lands in QUARANTINE; a pass releases it, a failure opens an NCR")
    func qualityIncomingInspection() async throws {
        try await withStack { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let qc = try await http.login("qc", "qc-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)  // the locations
            // The test stack inspects LABEL on receipt (STITCH_INSPECT_ON_RECEIPT=LABEL).
            let label = try await Self.inspectedLabel(http)
            func receive(_ qty: Int) async throws -> [String: Any] {
                let reply = try await Self.receipt(http, token: wh, item: label, qty: qty)
                #expect(reply.status == 201, "\(reply.body)")
                return reply.list.first ?? [:]
            }
            let held = try await receive(500)
            #expect(held["to_location"] as? String == "QUARANTINE", "\(held)")
            let movementId = try #require(held["id"] as? String)
            @Sendable func inspection(for movement: String) async -> [String: String]? {
                let list = (try? await http.call(.get, "/api/v1/quality/incoming-inspections?status=OPEN&per_page=500", token: qc))?.list ?? []
                return list.first { ($0["movement_id"] as? String)?.lowercased() == movement.lowercased() }?
                    .compactMapValues { $0 as? String }
            }
            #expect(await eventually { await inspection(for: movementId) != nil })
            let open = try #require(await inspection(for: movementId))
            let code = try #require(open["code"])
            #expect(open["release_to"] == "RM-MAIN" && open["material_code"] == label)
            #expect(try await Self.balance(http, token: wh, item: label, location: "QUARANTINE") == 500)
            #expect(
                try await http.call(.post, "/api/v1/quality/incoming-inspections/\(code)/result", token: wh, json: ["result": "PASS"]).status == 403)
            let passed = try await http.call(.post, "/api/v1/quality/incoming-inspections/\(code)/result", token: qc, json: ["result": "pass"])
            #expect(passed.status == 200 && passed.data["status"] as? String == "PASSED", "\(passed.body)")
            #expect(await eventually { (try? await Self.balance(http, token: wh, item: label, location: "RM-MAIN")) == 500 })
            #expect(try await Self.balance(http, token: wh, item: label, location: "QUARANTINE") == 0)
            #expect(
                try await http.call(.post, "/api/v1/quality/incoming-inspections/\(code)/result", token: qc, json: ["result": "FAIL"]).status == 409)

            let second = try await receive(200)
            let secondId = try #require(second["id"] as? String)
            #expect(await eventually { await inspection(for: secondId) != nil })
            let secondCode = try #require(await inspection(for: secondId)?["code"] as? String)
            let failed = try await http.call(
                .post, "/api/v1/quality/incoming-inspections/\(secondCode)/result", token: qc,
                json: ["result": "FAIL", "notes": "print smudged"])
            #expect(failed.status == 200 && failed.data["status"] as? String == "FAILED", "\(failed.body)")
            let ncr = try #require(failed.data["ncr_code"] as? String)
            #expect(try await http.call(.get, "/api/v1/quality/ncrs/\(ncr)", token: qc).data["inspection_code"] as? String == secondCode)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await Self.balance(http, token: wh, item: label, location: "QUARANTINE") == 200)
            #expect(try await Self.balance(http, token: wh, item: label, location: "RM-MAIN") == 500)
            try await Self.verifyLedger(http)
        }
    }
}
