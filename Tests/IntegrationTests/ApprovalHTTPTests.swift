import Contracts
import Foundation
import Messaging
import Testing

/// Quantity changes and material debt through their approval chains, and the SPK target that follows.
extension ProductionHTTPTests {
    /// Asks for a change; Approval checks it against the SPK as Production has it at that moment.
    static func requestChange(_ http: HTTPClient, token: String, spk: String, newQty: Int, reason: String = "customer changed the order")
        async throws -> HTTPClient.Reply
    {
        try await http.call(
            .post, "/api/v1/production/spk/\(spk)/request-modification", token: token,
            json: ["new_qty": newQty, "reason": reason])
    }

    static func target(_ http: HTTPClient, token: String, spk: String) async throws -> Int {
        try await http.call(.get, "/api/v1/production/spk/\(spk)/progress", token: token).data["target"] as? Int ?? -1
    }

    @Test("one-level and two-level quantity changes end to end; progress shows the new target and its history")
    func quantityChangeChains() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            let spk = try await Self.newSPK(http, token: ppic, qty: 500)
            let code = try #require(spk["code"] as? String)

            // 500 → 480 is 4% of the original: the production manager alone decides.
            let small = try await Self.requestChange(http, token: spv, spk: code, newQty: 480)
            #expect(small.status == 201, "\(small.body)")
            let modId = try #require(small.data["mod_id"] as? String)
            #expect(modId.range(of: #"^MOD-\d{8}-\d{4}$"#, options: .regularExpression) != nil)
            #expect(small.data["status"] as? String == "PENDING" && small.data["change"] as? String == "500→480")
            #expect((small.data["levels"] as? [[String: Any]])?.map { $0["role"] as? String } == ["PRODUCTION_MANAGER"])
            let waiting = try await http.call(.get, "/api/v1/production/approvals/pending", token: prodManager)
            #expect(waiting.list.contains { $0["mod_id"] as? String == modId && $0["requested_by"] as? String == "spv_sewing" })
            #expect(
                try await http.call(.get, "/api/v1/production/approvals/pending", token: manager).list
                    .allSatisfy { $0["mod_id"] as? String != modId })
            let approved = try await http.call(
                .post, "/api/v1/production/approvals/\(modId)/approve", token: prodManager,
                json: ["approved": true, "notes": "ok"])
            #expect(approved.status == 200 && approved.data["status"] as? String == "APPROVED")
            #expect(await eventually { (try? await Self.target(http, token: ppic, spk: code)) == 480 })

            // 480 → 400 moves 16% of the original 500: production manager, then manager.
            let big = try await Self.requestChange(http, token: spv, spk: code, newQty: 400)
            let bigId = try #require(big.data["mod_id"] as? String)
            #expect((big.data["levels"] as? [[String: Any]])?.map { $0["role"] as? String } == ["PRODUCTION_MANAGER", "MANAGER"])
            let first = try await http.call(
                .post, "/api/v1/production/approvals/\(bigId)/approve", token: prodManager,
                json: ["approved": true])
            #expect(first.data["status"] as? String == "PENDING" && first.data["current_level"] as? Int == 2)
            #expect(
                try await http.call(.get, "/api/v1/production/approvals/pending", token: manager).list
                    .contains { $0["mod_id"] as? String == bigId })
            let second = try await http.call(
                .post, "/api/v1/production/approvals/\(bigId)/approve", token: manager,
                json: ["approved": true, "notes": "agreed with the customer"])
            #expect(second.data["status"] as? String == "APPROVED")
            #expect(await eventually { (try? await Self.target(http, token: ppic, spk: code)) == 400 })

            let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: ppic).data
            #expect(progress["original_qty"] as? Int == 500 && progress["target"] as? Int == 400)
            let history = progress["target_changes"] as? [[String: Any]] ?? []
            #expect(history.map { $0["approval_code"] as? String } == [modId, bigId])
            #expect(history.map { $0["new_qty"] as? Int } == [480, 400])
            let decided = try await http.call(.get, "/api/v1/approvals/\(bigId)", token: spv).data
            #expect((decided["levels"] as? [[String: Any]])?.map { $0["decided_by"] as? String } == ["prod_manager", "manager"])
            #expect(
                await eventually {
                    let outcome = (try? await http.call(.get, "/api/v1/approvals/\(bigId)", token: spv))?.data["outcome"] as? String
                    return outcome?.hasPrefix("APPLIED") == true
                })
            // PPIC follows the new target.
            #expect(
                await eventually {
                    let dashboard = (try? await http.call(.get, "/api/v1/ppic/dashboard", token: ppic))?.data ?? [:]
                    return dashboard["pending_approvals"] is Int
                })
        }
    }

    @Test("rejection needs notes; cancel by the requester; one open request per SPK; self-approval and wrong roles refused")
    func refusals() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 300)["code"] as? String)

            #expect(
                try await http.call(
                    .post, "/api/v1/production/spk/\(code)/request-modification", token: staff,
                    json: ["new_qty": 280, "reason": "x"]
                ).status == 403)
            let first = try await Self.requestChange(http, token: spv, spk: code, newQty: 290)
            let modId = try #require(first.data["mod_id"] as? String)
            let duplicate = try await http.call(
                .post, "/api/v1/production/spk/\(code)/modify-qty", token: ppic,
                json: ["new_qty": 250, "reason": "another"])
            #expect(duplicate.status == 409)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/spk/\(code)/modify-qty", token: ppic,
                    json: ["new_qty": 300, "reason": "same"]
                ).status == 422)

            // The manager is not level 1's role; the requester cannot approve; a rejection needs notes.
            #expect(
                try await http.call(
                    .post, "/api/v1/production/approvals/\(modId)/approve", token: manager,
                    json: ["approved": true]
                ).status == 403)
            let noNotes = try await http.call(
                .post, "/api/v1/production/approvals/\(modId)/approve", token: prodManager,
                json: ["approved": false])
            #expect(noNotes.status == 400 && noNotes.errorFields == ["notes"])
            let rejected = try await http.call(
                .post, "/api/v1/production/approvals/\(modId)/approve", token: prodManager,
                json: ["approved": false, "notes": "the customer did not confirm"])
            #expect(rejected.data["status"] as? String == "REJECTED")
            #expect(
                try await http.call(
                    .post, "/api/v1/production/approvals/\(modId)/approve", token: prodManager,
                    json: ["approved": true]
                ).status == 409)
            #expect(try await Self.target(http, token: ppic, spk: code) == 300)

            // Invalid quantities are refused with the field named.
            let below = try await http.call(.post, "/api/v1/production/spk/\(code)/modify-qty", token: spv, json: ["new_qty": 0, "reason": "x"])
            #expect(below.status == 400 && below.errorFields == ["new_qty"])

            // Only the requester cancels, only while pending; then a new request may be made.
            let second = try await Self.requestChange(http, token: spv, spk: code, newQty: 310)
            let secondId = try #require(second.data["mod_id"] as? String)
            #expect(try await http.call(.post, "/api/v1/production/approvals/\(secondId)/cancel", token: prodManager).status == 403)
            let cancelled = try await http.call(.post, "/api/v1/production/approvals/\(secondId)/cancel", token: spv)
            #expect(cancelled.data["status"] as? String == "CANCELLED")
            #expect(try await http.call(.post, "/api/v1/production/approvals/\(secondId)/cancel", token: spv).status == 409)

            // A production manager may ask, but not approve their own request.
            let own = try await Self.requestChange(http, token: prodManager, spk: code, newQty: 305)
            let ownId = try #require(own.data["mod_id"] as? String)
            let selfApproval = try await http.call(
                .post, "/api/v1/production/approvals/\(ownId)/approve", token: prodManager,
                json: ["approved": true])
            #expect(selfApproval.status == 403)
            #expect(
                try await http.call(.get, "/api/v1/production/approvals/pending", token: prodManager).list
                    .allSatisfy { $0["mod_id"] as? String != ownId })
        }
    }

    @Test("a change asked for right after an input is judged against that input, not an older copy")
    func changeRightAfterInput() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 100)["code"] as? String)
            let input = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: staff,
                json: ["date": factoryDay(), "qty": 60])
            #expect(input.status == 200, "\(input.body)")
            let tooLow = try await Self.requestChange(http, token: spv, spk: code, newQty: 50)
            #expect(tooLow.status == 422, "\(tooLow.body)")
            #expect(tooLow.errorFields.contains("new_qty"), "\(tooLow.body)")
            let pending = try await http.call(.get, "/api/v1/production/approvals/pending", token: spv)
            #expect(pending.list.allSatisfy { $0["spk_code"] as? String != code })
            let fine = try await Self.requestChange(http, token: spv, spk: code, newQty: 90)
            #expect(fine.status == 201, "\(fine.body)")
        }
    }

    @Test("two approvers at once: one decides, the other gets 409")
    func concurrentApprovers() async throws {
        try await withStack { http in
            let admin = try await http.login("admin", "admin-dev-123")
            let name = "pm_\(UUID().uuidString.prefix(6).lowercased())"
            let created = try await http.call(
                .post, "/api/v1/users", token: admin,
                json: [
                    "username": name, "password": "second-pm-123", "full_name": "Second Production Manager",
                    "roles": ["PRODUCTION_MANAGER"],
                ])
            #expect(created.status == 201)
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let one = try await http.login("prod_manager", "prodmgr-dev-123")
            let two = try await http.login(name, "second-pm-123")
            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 200)["code"] as? String)
            let modId = try #require(try await Self.requestChange(http, token: spv, spk: code, newQty: 190).data["mod_id"] as? String)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for token in [one, two] {
                    group.addTask {
                        try await http.call(
                            .post, "/api/v1/production/approvals/\(modId)/approve", token: token,
                            json: ["approved": true]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 409])
            #expect(await eventually { (try? await Self.target(http, token: ppic, spk: code)) == 190 })
            let history = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: ppic).data["target_changes"]
            #expect((history as? [Any])?.count == 1)
        }
    }

    @Test("a change that became invalid is not applied and says so; a replayed approval changes the target once")
    func invalidChangeAndReplay() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 100)["code"] as? String)
            let modId = try #require(try await Self.requestChange(http, token: spv, spk: code, newQty: 92).data["mod_id"] as? String)
            // Meanwhile the line produces more than the new target allows.
            let input = try await http.call(
                .post, "/api/v1/production/spk/\(code)/daily-input", token: spv,
                json: ["date": factoryDay(), "qty": 95])
            #expect(input.status == 200)
            _ = try await http.call(.post, "/api/v1/production/approvals/\(modId)/approve", token: prodManager, json: ["approved": true])
            #expect(
                await eventually {
                    let outcome = (try? await http.call(.get, "/api/v1/approvals/\(modId)", token: spv))?.data["outcome"] as? String
                    return outcome?.hasPrefix("NOT_APPLIED") == true
                })
            #expect(try await Self.target(http, token: ppic, spk: code) == 100)

            // A valid one, then its approval event delivered twice more (as after a relay crash).
            let valid = try await Self.requestChange(http, token: spv, spk: code, newQty: 108)
            let validId = try #require(valid.data["mod_id"] as? String)
            _ = try await http.call(.post, "/api/v1/production/approvals/\(validId)/approve", token: prodManager, json: ["approved": true])
            #expect(await eventually { (try? await Self.target(http, token: ppic, spk: code)) == 108 })
            let approvedJSON = try await http.call(.get, "/api/v1/approvals/\(validId)", token: spv).json
            let request = try StitchJSON.decode(
                ApprovalRequest.self,
                from: Array(try JSONSerialization.data(withJSONObject: (approvedJSON as? [String: Any])?["data"] ?? [:])))
            let bus = try #require(http.bus)
            let envelope = Envelope(ApprovalApproved(request: request), actor: .system("test"))
            try await bus.publish(envelope)
            try await bus.publish(envelope)  // the same message again
            try await bus.publish(Envelope(ApprovalApproved(request: request), actor: .system("test")))  // and a copy with a new id
            try await Task.sleep(for: .seconds(1))
            let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: ppic).data
            #expect(progress["target"] as? Int == 108)
            #expect((progress["target_changes"] as? [Any])?.count == 1)
        }
    }

    @Test("material debt through both levels; lists by status")
    func materialDebt() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let warehouse = try await http.login("wh_manager", "whmgr-dev-123")
            // A debt names a material BOMFinance knows (a rerun against the same database finds it there).
            let fabric = try await http.call(
                .post, "/api/v1/master/materials", token: try await http.login("finance", "finance-dev-123"),
                json: [
                    "code": "FABRIC-RED", "name": "Red fabric", "category": "FABRIC", "unit": "M", "standard_cost": 40000,
                    "cost_effective_from": factoryDay(-30),
                ])
            #expect(fabric.status == 201 || fabric.status == 409, "\(fabric.body)")
            let spk = try await Self.newSPK(http, token: ppic, qty: 100)
            let id = try #require(spk["id"] as? String)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/material-debt/request", token: ppic,
                    json: ["spk_id": id, "material_code": "FABRIC-RED", "qty": 12.5, "reason": "x"]
                ).status == 403)
            var requested = try await http.call(
                .post, "/api/v1/production/material-debt/request", token: spv,
                json: ["spk_id": id, "material_code": "fabric-red", "qty": 12.5, "reason": "supplier late"])
            for _ in 0..<100 where requested.status == 404 {
                try await Task.sleep(for: .milliseconds(50))
                requested = try await http.call(
                    .post, "/api/v1/production/material-debt/request", token: spv,
                    json: ["spk_id": id, "material_code": "fabric-red", "qty": 12.5, "reason": "supplier late"])
            }
            #expect(requested.status == 201, "\(requested.body)")
            let debtId = try #require(requested.data["mod_id"] as? String)
            #expect(debtId.hasPrefix("MD-") && requested.data["change"] as? String == "FABRIC-RED 12.5")
            #expect((requested.data["levels"] as? [[String: Any]])?.map { $0["role"] as? String } == ["PRODUCTION_MANAGER", "WAREHOUSE_MANAGER"])
            #expect(
                try await http.call(.get, "/api/v1/production/material-debt/pending", token: spv).list
                    .contains { $0["mod_id"] as? String == debtId })
            #expect(
                try await http.call(
                    .post, "/api/v1/production/approvals/\(debtId)/approve", token: warehouse,
                    json: ["approved": true]
                ).status == 403)
            _ = try await http.call(.post, "/api/v1/production/approvals/\(debtId)/approve", token: prodManager, json: ["approved": true])
            let done = try await http.call(
                .post, "/api/v1/production/approvals/\(debtId)/approve", token: warehouse,
                json: ["approved": true, "notes": "issue from buffer stock"])
            #expect(done.data["status"] as? String == "APPROVED")
            #expect(
                try await http.call(.get, "/api/v1/production/material-debt?status=APPROVED&per_page=500", token: spv).list
                    .contains { $0["mod_id"] as? String == debtId })
            #expect(
                try await http.call(.get, "/api/v1/production/material-debt/pending", token: spv).list
                    .allSatisfy { $0["mod_id"] as? String != debtId })
        }
    }
}
