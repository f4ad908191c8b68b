import Foundation
import Testing

/// Manufacturing orders through their stages, shifts and operators, and a phone's sync, over HTTP.
extension ProductionHTTPTests {
    @Test("an order flows from cutting to packing; no stage reports more than the previous one passed on")
    func orderFlowsThroughStages() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("prod_manager", "prodmgr-dev-123")
            let cutter = try await http.login("staff_cutting", "staff-dev-123")
            let sewer = try await http.login("staff_sewing", "staff-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")

            let bad = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": "koala", "qty": 0, "start_date": factoryDay(), "due_date": factoryDay(-1), "stages": ["SEWING", "CUTTING"],
                ])
            #expect(bad.status == 400 && Set(bad.errorFields) == ["qty", "due_date", "stages"])
            #expect(
                try await http.call(
                    .post, "/api/v1/production/orders", token: sewer,
                    json: [
                        "article_code": "koala", "qty": 5, "start_date": factoryDay(), "due_date": factoryDay(5),
                    ]
                ).status == 403)

            try await http.ensureArticle("KOALA-25CM")
            let created = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": "koala-25cm", "qty": 50, "start_date": factoryDay(-2), "due_date": factoryDay(7),
                ])
            #expect(created.status == 201, "\(created.body)")
            let orderCode = try #require(created.data["code"] as? String)
            #expect(orderCode.hasPrefix("MO-") && orderCode.count == "MO-20260101-0001".count)
            let spks = created.data["spks"] as? [[String: Any]] ?? []
            #expect(spks.map { $0["stage"] as? String } == ["CUTTING", "EMBROIDERY", "SEWING", "FINISHING", "PACKING"])
            #expect(spks.map { $0["sequence"] as? Int } == [1, 2, 3, 4, 5])
            #expect(spks.allSatisfy { $0["order_code"] as? String == orderCode && $0["target_qty"] as? Int == 50 })
            #expect(spks.first?["start_date"] as? String == factoryDay(-2) && spks.last?["due_date"] as? String == factoryDay(7))
            let starts = spks.compactMap { $0["start_date"] as? String }
            let dues = spks.compactMap { $0["due_date"] as? String }
            #expect(starts == starts.sorted() && zip(starts, dues).allSatisfy { $0 <= $1 })
            let codes = spks.compactMap { $0["code"] as? String }
            try #require(codes.count == 5)
            func record(_ stage: Int, _ qty: Int, token: String, extra: [String: Any] = [:]) async throws -> HTTPClient.Reply {
                try await http.call(
                    .post, "/api/v1/production/spk/\(codes[stage])/daily-input", token: token,
                    json: extra.merging(["date": factoryDay(), "qty": qty]) { a, _ in a })
            }

            // Cutting works in shifts: it needs the shift and an operator of its own department.
            let noShift = try await record(0, 30, token: cutter)
            #expect(noShift.status == 422 && Set(noShift.errorFields) == ["shift", "operator_id"])
            let wrongOperator = try await record(0, 30, token: cutter, extra: ["shift": "DAY", "operator_id": "staff_sewing"])
            #expect(wrongOperator.status == 422 && wrongOperator.errorFields == ["operator_id"])
            let ghost = try await record(0, 30, token: cutter, extra: ["shift": "DAY", "operator_id": "nobody_here"])
            #expect(ghost.status == 422 && ghost.errorFields == ["operator_id"])
            let cut = try await record(0, 30, token: cutter, extra: ["shift": "night", "operator_id": "staff_cutting"])
            #expect(cut.status == 200, "\(cut.body)")

            // Embroidery may take only what cutting passed on.
            let tooMuch = try await record(1, 31, token: manager)
            #expect(tooMuch.status == 422 && tooMuch.errorFields == ["qty"])
            #expect((tooMuch.error["details"] as? [[String: Any]])?.first?["message"] as? String == "at most 30 available from CUTTING")
            #expect(try await record(1, 30, token: manager).status == 200)
            #expect(try await record(2, 20, token: sewer).status == 200)
            var order = try await http.call(.get, "/api/v1/production/orders/\(orderCode)", token: spv).data
            var stages = order["spks"] as? [[String: Any]] ?? []
            #expect(stages.map { $0["available_wip"] as? Int } == [nil, 0, 10, 20, 0])
            #expect(order["status"] as? String == "IN_PROGRESS")
            let wip = try await http.call(.get, "/api/v1/production/spks/\(codes[2])", token: spv).data
            #expect(wip["available_wip"] as? Int == 10)

            #expect(try await record(3, 20, token: manager).status == 200)
            #expect(try await record(4, 20, token: manager).status == 200)
            #expect(try await record(0, 20, token: cutter, extra: ["shift": "DAY", "operator_id": "staff_cutting"]).status == 200)
            #expect(try await record(1, 20, token: manager).status == 200)
            #expect(try await record(2, 30, token: sewer).status == 200)
            #expect(try await record(3, 30, token: manager).status == 200)
            let last = try await record(4, 30, token: manager)
            #expect(last.data["spk_status"] as? String == "COMPLETED")
            order = try await http.call(.get, "/api/v1/production/orders/\(order["id"] as? String ?? "")", token: spv).data
            stages = order["spks"] as? [[String: Any]] ?? []
            #expect(stages.allSatisfy { $0["status"] as? String == "COMPLETED" })
            #expect(order["status"] as? String == "COMPLETED" && order["finished_qty"] as? Int == 50 && order["progress"] as? Double == 100)

            // Cutting's first entry was used downstream: voiding it would leave embroidery ahead of cutting.
            let entry = try #require(cut.data["entry_id"] as? String)
            let void = try await http.call(.post, "/api/v1/production/daily-input/\(entry)/void", token: manager, json: ["reason": "typo"])
            #expect(void.status == 422)

            let completed = try await http.call(
                .get, "/api/v1/production/orders?status=completed&article_code=KOALA-25CM&per_page=500",
                token: spv)
            #expect(completed.list.contains { $0["code"] as? String == orderCode })
            #expect(completed.list.allSatisfy { $0["spks"] == nil })
            let ofOrder = try await http.call(.get, "/api/v1/production/spks?order=\(orderCode.lowercased())", token: spv)
            #expect(ofOrder.list.compactMap { $0["code"] as? String }.sorted() == codes.sorted())
            #expect(try await http.call(.get, "/api/v1/production/orders/MO-19990101-0001", token: spv).status == 404)
            #expect(try await http.call(.get, "/api/v1/production/orders?status=LATE", token: spv).status == 400)
        }
    }

    @Test("concurrent input on adjacent stages never passes the WIP rule")
    func concurrentStagesKeepTheWIPRule() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("prod_manager", "prodmgr-dev-123")
            try await http.ensureArticle("RACE-BEAR")
            let created = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": "race-bear", "qty": 300, "start_date": factoryDay(-1), "due_date": factoryDay(5),
                    "stages": ["EMBROIDERY", "SEWING"],
                ])
            let codes = (created.data["spks"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            try #require(codes.count == 2)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/spk/\(codes[0])/daily-input", token: manager,
                    json: ["date": factoryDay(), "qty": 100]
                ).status == 200)
            // 20 sewing entries of 10 race 5 more embroidery entries of 10: sewing may never pass embroidery.
            let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for index in 0..<25 {
                    let stage = index % 5 == 0 ? 0 : 1
                    group.addTask {
                        let reply = try await http.call(
                            .post, "/api/v1/production/spk/\(codes[stage])/daily-input", token: manager,
                            json: ["date": factoryDay(), "qty": 10])
                        return (codes[stage], reply.status)
                    }
                }
                return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.1 == 200 || $0.1 == 422 })
            let embroidered = try await http.call(.get, "/api/v1/production/spks/\(codes[0])", token: manager).data
            let sewn = try await http.call(.get, "/api/v1/production/spks/\(codes[1])", token: manager).data
            let upstream = embroidered["produced_qty"] as? Int ?? -1
            let downstream = sewn["produced_qty"] as? Int ?? -1
            #expect(upstream == 150, "every embroidery entry is accepted")
            #expect(downstream <= upstream && downstream >= 100)
            #expect(downstream == 10 * statuses.filter { $0.0 == codes[1] && $0.1 == 200 }.count)
            #expect(sewn["available_wip"] as? Int == upstream - downstream)
        }
    }

    @Test("the current shift, and a phone's sync: its department's open SPKs, then only what changed")
    func shiftAndMobileSync() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let sewer = try await http.login("staff_sewing", "staff-dev-123")
            let shift = try await http.call(.get, "/api/v1/production/current-shift", token: sewer).data
            #expect(["DAY", "NIGHT"].contains(shift["shift"] as? String ?? ""))
            #expect(shift["time_zone"] as? String == "Asia/Jakarta")
            #expect((shift["starts_at"] as? String ?? "") < (shift["ends_at"] as? String ?? ""))

            let first = try await http.call(.get, "/api/v1/production/mobile/sync", token: sewer).data
            #expect(first["full"] as? Bool == true && first["department"] as? String == "SEWING")
            let open = first["spks"] as? [[String: Any]] ?? []
            #expect(
                open.allSatisfy { $0["department"] as? String == "SEWING" && ["NOT_STARTED", "IN_PROGRESS"].contains($0["status"] as? String ?? "") })
            #expect((first["current_shift"] as? [String: Any])?["shift"] != nil)
            let cursor = try #require(first["cursor"] as? String)

            let code = try #require(try await Self.newSPK(http, token: ppic, qty: 40)["code"] as? String)
            let cutting = try #require(try await Self.newSPK(http, token: ppic, qty: 40, department: "CUTTING")["code"] as? String)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/spk/\(code)/daily-input", token: sewer,
                    json: ["date": factoryDay(), "qty": 15]
                ).status == 200)
            let changed = try await http.call(.get, "/api/v1/production/mobile/sync?since=\(cursor)", token: sewer).data
            #expect(changed["full"] as? Bool == false)
            let mine = (changed["spks"] as? [[String: Any]] ?? []).first { $0["code"] as? String == code }
            #expect(mine?["produced_qty"] as? Int == 15)
            #expect(!(changed["spks"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == cutting })

            // A cancelled SPK comes as a change, so the phone drops it.
            #expect(try await http.call(.post, "/api/v1/production/spk/\(code)/cancel", token: ppic, json: ["reason": "test"]).status == 200)
            let next = try #require(changed["cursor"] as? String)
            let after = try await http.call(.get, "/api/v1/production/mobile/sync?since=\(next)", token: sewer).data
            #expect((after["spks"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == code && $0["status"] as? String == "CANCELLED" })

            let stale = try await http.call(.get, "/api/v1/production/mobile/sync?since=CUTTING:5", token: sewer).data
            #expect(stale["full"] as? Bool == true)
            #expect(try await http.call(.get, "/api/v1/production/mobile/sync", token: ppic).status == 403)
        }
    }
}
