import Foundation
import Testing

/// Holding, resuming, cancelling and closing SPKs, and voiding a wrong entry, over HTTP.
extension ProductionHTTPTests {
    @Test("each lifecycle transition and a forbidden one; a held SPK takes no input")
    func lifecycleTransitions() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 100)["code"] as? String)
            let base = "/api/v1/production/spk/\(code)"

            #expect(try await http.call(.post, "\(base)/hold", token: staff, json: ["reason": "x"]).status == 403)
            let noReason = try await http.call(.post, "\(base)/hold", token: spv, json: ["reason": " "])
            #expect(noReason.status == 400 && noReason.errorFields == ["reason"])
            let held = try await http.call(.post, "\(base)/hold", token: spv, json: ["reason": "machine broken"])
            #expect(held.status == 200 && held.data["status"] as? String == "ON_HOLD")
            let blocked = try await http.call(.post, "\(base)/daily-input", token: staff, json: ["date": factoryDay(), "qty": 5])
            #expect(blocked.status == 409)
            #expect(try await http.call(.post, "\(base)/hold", token: spv, json: ["reason": "again"]).status == 409)
            let resumed = try await http.call(.post, "\(base)/resume", token: spv, json: ["reason": "fixed"])
            #expect(resumed.data["status"] as? String == "NOT_STARTED")
            #expect(try await http.call(.post, "\(base)/daily-input", token: staff, json: ["date": factoryDay(), "qty": 30]).status == 200)
            // A supervisor may not close; a planner may. A closed SPK cannot be resumed or cancelled.
            #expect(try await http.call(.post, "\(base)/close", token: spv, json: ["reason": "x"]).status == 403)
            let closed = try await http.call(.post, "\(base)/close", token: ppic, json: ["reason": "customer took 30"])
            #expect(closed.data["status"] as? String == "CLOSED")
            #expect(try await http.call(.post, "\(base)/resume", token: ppic, json: ["reason": "x"]).status == 409)
            #expect(try await http.call(.post, "\(base)/cancel", token: ppic, json: ["reason": "x"]).status == 409)

            let other = try #require(try await Self.newSPK(http, token: ppic, qty: 50)["code"] as? String)
            let cancelled = try await http.call(.post, "/api/v1/production/spk/\(other)/cancel", token: ppic, json: ["reason": "order dropped"])
            #expect(cancelled.data["status"] as? String == "CANCELLED")
            #expect(
                await eventually {
                    let dashboard = (try? await http.call(.get, "/api/v1/ppic/dashboard", token: ppic))?.data ?? [:]
                    return dashboard["on_hold"] is Int
                })
        }
    }

    @Test("voiding an entry records a reversal, reopens a completed SPK, and staff cannot void")
    func voidReopens() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 60)["code"] as? String)
            let base = "/api/v1/production/spk/\(code)"
            _ = try await http.call(.post, "\(base)/daily-input", token: staff, json: ["date": factoryDay(-1), "qty": 40])
            let wrong = try await http.call(.post, "\(base)/daily-input", token: staff, json: ["date": factoryDay(), "qty": 25, "reject_qty": 2])
            #expect(wrong.data["spk_status"] as? String == "COMPLETED")
            let entry = try #require(wrong.data["entry_id"] as? String)

            #expect(
                try await http.call(
                    .post, "/api/v1/production/daily-input/\(entry)/void", token: staff,
                    json: ["reason": "typo"]
                ).status == 403)
            let voided = try await http.call(
                .post, "/api/v1/production/daily-input/\(entry)/void", token: spv,
                json: ["reason": "typed 25 instead of 15"])
            #expect(voided.status == 200, "\(voided.body)")
            #expect(voided.data["cumulative"] as? Int == 40 && voided.data["spk_status"] as? String == "IN_PROGRESS")
            #expect(
                try await http.call(
                    .post, "/api/v1/production/daily-input/\(entry)/void", token: spv,
                    json: ["reason": "again"]
                ).status == 409)
            let reversal = try #require(voided.data["reversal_id"] as? String)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/daily-input/\(reversal)/void", token: spv,
                    json: ["reason": "undo the undo"]
                ).status == 409)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/daily-input/\(UUID().uuidString)/void", token: spv,
                    json: ["reason": "x"]
                ).status == 404)

            let progress = try await http.call(.get, "\(base)/progress", token: spv).data
            #expect(progress["cumulative"] as? Int == 40 && progress["rejects"] as? Int == 0 && progress["status"] as? String == "IN_PROGRESS")
            let daily = progress["daily"] as? [[String: Any]] ?? []
            #expect(daily.map { $0["qty"] as? Int } == [40, 0])  // today's entry and its reversal net to 0
            let fixed = try await http.call(.post, "\(base)/daily-input", token: staff, json: ["date": factoryDay(), "qty": 15])
            #expect(fixed.data["cumulative"] as? Int == 55)
        }
    }
}
