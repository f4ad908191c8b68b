import Contracts
import Foundation
import Messaging
import ServiceKit
import Testing

/// Requests name things that exist, and what one service decided but another cannot carry out comes back
/// to the deciding document — never only a dead letter (issue 23, items 3 and 4).
extension ProductionHTTPTests {
    @Test("a material-debt request names a known material, a known SPK and an amount its unit allows; otherwise 422, nothing made")
    func materialDebtRequestsNameWhatExists() async throws {
        try await withStack { http in
            let finance = try await http.login("finance", "finance-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let tag = BOMFinanceHTTPTests.tag()
            let eyes = "EYE-\(tag)"
            try await BOMFinanceHTTPTests.material(http, finance, eyes, unit: "PCS", cost: 500)
            let spk = try await Self.newSPK(http, token: ppic)
            let spkId = try #require(spk["id"] as? String)
            func request(_ body: [String: Any]) async throws -> HTTPClient.Reply {
                try await http.call(
                    .post, "/api/v1/production/material-debt/request", token: spv,
                    json: ["spk_id": spkId, "material_code": eyes, "qty": 10, "reason": "supplier late"].merging(body) { $1 })
            }
            let unknownMaterial = try await request(["material_code": "FAB-RED-\(tag)"])
            #expect(unknownMaterial.status == 422 && unknownMaterial.errorFields == ["material_code"], "\(unknownMaterial.body)")
            let unknownSPK = try await request(["spk_id": UUID().uuidString])
            #expect(unknownSPK.status == 422 && unknownSPK.errorFields == ["spk_id"], "\(unknownSPK.body)")
            let halfAnEye = try await request(["qty": 2.5])
            #expect(halfAnEye.status == 422 && halfAnEye.errorFields == ["qty"], "\(halfAnEye.body)")
            let debts = try await http.call(.get, "/api/v1/production/material-debt?per_page=500", token: spv).list
            #expect(debts.allSatisfy { $0["spk_code"] as? String != spk["code"] as? String }, "a refused request leaves nothing behind")

            let fine = try await request(["qty": 2])
            #expect(fine.status == 201 && fine.data["change"] as? String == "\(eyes) 2", "\(fine.body)")
        }
    }

    @Test("an approved debt the warehouse cannot issue shows ISSUE_FAILED with why; one it can shows ISSUED; nothing is parked")
    func refusedDebtComesBackToTheRequest() async throws {
        try await withStack { http in
            let finance = try await http.login("finance", "finance-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)
            let fabric = "FAB-\(BOMFinanceHTTPTests.tag())"
            try await BOMFinanceHTTPTests.material(http, finance, fabric, unit: "M", cost: 40000)
            func approvedDebt(spk: [String: Any], qty: Double) async throws -> String {
                let requested = try await http.call(
                    .post, "/api/v1/production/material-debt/request", token: spv,
                    json: [
                        "spk_id": try #require(spk["id"] as? String), "material_code": fabric, "qty": qty, "reason": "supplier late",
                    ])
                #expect(requested.status == 201, "\(requested.body)")
                return try #require(requested.data["mod_id"] as? String)
            }
            func approve(_ code: String) async throws {
                _ = try await http.call(.post, "/api/v1/production/approvals/\(code)/approve", token: prodManager, json: ["approved": true])
                let done = try await http.call(.post, "/api/v1/production/approvals/\(code)/approve", token: wh, json: ["approved": true])
                #expect(done.data["status"] as? String == "APPROVED", "\(done.body)")
            }
            // The request once the warehouse's answer reached it (or as it is after 20 s).
            func settled(_ code: String, _ accepts: ([String: Any]) -> Bool) async throws -> [String: Any] {
                var last: [String: Any] = [:]
                for _ in 0..<200 {
                    last = try await http.call(.get, "/api/v1/approvals/\(code)", token: spv).data
                    if accepts(last) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return last
            }

            // Asked for while the SPK ran; the SPK was cancelled before the warehouse manager approved it.
            let cancelled = try await Self.newSPK(http, token: ppic)
            let refused = try await approvedDebt(spk: cancelled, qty: 12.5)
            let cancel = try await http.call(
                .post, "/api/v1/production/spk/\(cancelled["code"] as? String ?? "")/cancel", token: prodManager,
                json: ["reason": "customer withdrew"])
            #expect(cancel.status == 200, "\(cancel.body)")
            try await approve(refused)
            let failed = try await settled(refused) { $0["status"] as? String != "APPROVED" }
            #expect(failed["status"] as? String == "ISSUE_FAILED", "\(failed)")
            #expect((failed["outcome"] as? String ?? "").contains("CANCELLED"), "\(failed)")
            let failures = try await http.call(.get, "/api/v1/production/material-debt?status=ISSUE_FAILED&per_page=500", token: spv).list
            #expect(failures.contains { $0["mod_id"] as? String == refused })
            let open = try await http.call(.get, "/api/v1/inventory/material-debts?per_page=500", token: wh).list
            #expect(open.allSatisfy { $0["approval_code"] as? String != refused }, "nothing was issued")
            let parked = try await DeadLetters(bus: try #require(http.bus), queues: ["warehouse.events.dead"]).list()
            #expect(parked.allSatisfy { !String(decoding: $0.message.body, as: UTF8.self).contains(refused) }, "a refusal is not a dead letter")

            // An open SPK's debt is issued, and the request says so.
            let running = try await Self.newSPK(http, token: ppic)
            let issued = try await approvedDebt(spk: running, qty: 3)
            try await approve(issued)
            let shown = try await settled(issued) { $0["outcome"] != nil }
            #expect(shown["status"] as? String == "APPROVED" && (shown["outcome"] as? String ?? "").hasPrefix("ISSUED: 3"), "\(shown)")
        }
    }

    @Test("a passed receipt the warehouse can no longer release says why on its incoming inspection; nothing moves, nothing is parked")
    func refusedReleaseComesBackToTheInspection() async throws {
        try await withStack { http in
            let wh = try await http.login("wh_manager", "whmgr-dev-123")
            let qc = try await http.login("qc", "qc-dev-123")
            _ = try await Self.warehouseSetUp(http, token: wh)  // the locations
            // The test stack inspects LABEL on receipt.
            let label = try await Self.inspectedLabel(http)
            let held = try await Self.receipt(http, token: wh, item: label, qty: 100)
            #expect(held.status == 201 && held.list.first?["to_location"] as? String == "QUARANTINE", "\(held.body)")
            let movement = try #require(held.list.first?["id"] as? String).lowercased()
            @Sendable func inspection(_ status: String) async -> [String: Any]? {
                let list = (try? await http.call(.get, "/api/v1/quality/incoming-inspections?status=\(status)&per_page=500", token: qc))?.list ?? []
                return list.first { ($0["movement_id"] as? String)?.lowercased() == movement }
            }
            #expect(await eventually { await inspection("OPEN") != nil })
            let code = try #require(await inspection("OPEN")?["code"] as? String)
            // Water got in while it waited: the warehouse scraps it by hand before QC passes the lot.
            let scrapped = try await http.call(
                .post, "/api/v1/inventory/movements", token: wh,
                json: [
                    "type": "SCRAP", "item_code": label, "qty": 100, "from_location": "QUARANTINE", "reason": "water damage",
                ])
            #expect(scrapped.status == 201, "\(scrapped.body)")
            let passed = try await http.call(.post, "/api/v1/quality/incoming-inspections/\(code)/result", token: qc, json: ["result": "PASS"])
            #expect(passed.status == 200, "\(passed.body)")

            #expect(await eventually { await inspection("PASSED")?["stock_note"] as? String != nil })
            let note = await inspection("PASSED")?["stock_note"] as? String ?? ""
            #expect(note.contains("Not enough \(label) at QUARANTINE"), "\(note)")
            #expect(try await Self.balance(http, token: wh, item: label, location: "RM-MAIN") ?? 0 == 0)
            let parked = try await DeadLetters(bus: try #require(http.bus), queues: ["warehouse.events.dead"]).list()
            #expect(parked.allSatisfy { !String(decoding: $0.message.body, as: UTF8.self).contains(code) }, "a refusal is not a dead letter")
        }
    }
}

/// What the documents now say about refusals is in `/openapi.json`, as clients are generated from it.
@Suite struct DecisionRefusalDocumentTests {
    @Test("the approval request's status lists ISSUE_FAILED beside its outcome; inspections carry stock_note")
    func refusalsAreDocumented() async throws {
        let (_, document) = try await OpenAPIRouteTests.document()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func properties(having keys: Set<String>) -> [String: [String: Any]]? {
            schemas.values.lazy.compactMap { $0["properties"] as? [String: [String: Any]] }.first { keys.isSubset(of: $0.keys) }
        }
        let request = try #require(properties(having: ["mod_id", "material_debt", "outcome"]))
        #expect((request["status"]?["enum"] as? [String])?.contains("ISSUE_FAILED") == true, "\(request["status"] ?? [:])")
        #expect(try #require(properties(having: ["movement_id", "release_to"]))["stock_note"]?["type"] != nil)
        #expect(try #require(properties(having: ["lot_size", "sample_size"]))["stock_note"]?["type"] != nil)
    }
}
