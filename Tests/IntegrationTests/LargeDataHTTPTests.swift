import Contracts
import Foundation
import Messaging
import Testing

/// Issue 23, items 2 and 5: legal data at the documented maxima must not take a report down, and a
/// date from another century is refused where it enters, naming the field.
extension ProductionHTTPTests {
    @Test("216 SPKs at the maximum quantity: the PPIC dashboard still answers, its sums past 32 bits")
    func dashboardOverMaximalSPKs() async throws {
        try await withStack { http in
            try await http.ensureArticle("BEAR-MAX")
            let admin = try await http.login("admin", "admin-dev-123")
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let count = 216  // 216 × 10,000,000 > Int32.max
            let max = InputRules.quantity.upperBound
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<4 {
                    group.addTask {
                        for _ in stride(from: lane, to: count, by: 4) {
                            let made = try await http.call(
                                .post, "/api/v1/production/spks", token: admin,
                                json: [
                                    "article_code": "BEAR-MAX", "stage": "FINISHING", "department": "FINISHING", "original_qty": max,
                                    "start_date": factoryDay(), "due_date": factoryDay(30),
                                ])
                            #expect(made.status == 201, "\(made.body)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            // PPIC learns of them by events; its sums must hold all of them.
            let summed = await eventually(timeout: .seconds(60)) {
                let board = try? await http.call(.get, "/api/v1/ppic/dashboard", token: ppic)
                let finishing = (board?.data["by_stage"] as? [String: Any])?["FINISHING"] as? [String: Any]
                return (finishing?["target"] as? Int ?? 0) >= count * max
            }
            #expect(summed, "the dashboard's FINISHING target did not reach \(count * max)")
            for path in [
                "/api/v1/ppic/dashboard", "/api/v1/ppic/reports/on-track-status", "/api/v1/ppic/reports/daily-summary",
                "/api/v1/ppic/alerts", "/api/v1/production/spks?per_page=500",
            ] {
                let reply = try await http.call(.get, path, token: ppic)
                #expect(reply.status == 200, "\(path): \(reply.body)")
            }
        }
    }

    @Test("an SPK's rejects may pass 32 bits: every legal entry is recorded, none refused as if the caller erred")
    func rejectsPastThirtyTwoBits() async throws {
        try await withStack { http in
            let admin = try await http.login("admin", "admin-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let spk = try await Self.newSPK(http, token: admin, qty: InputRules.quantity.upperBound)
            let id = try #require(spk["id"] as? String)
            let perEntry = DailyInputEntry.maxQty
            let batches = 5
            let perBatch = RecordMobileBatch.maxEntries  // 2,500 × 1,000,000 rejects > Int32.max
            for batch in 0..<batches {
                let entries: [[String: Any]] = (0..<perBatch).map { index in
                    ["client_entry_id": "rej-\(id)-\(batch)-\(index)", "spk_id": id, "date": factoryDay(), "qty": 0, "reject_qty": perEntry]
                }
                let reply = try await http.call(.post, "/api/v1/production/mobile/daily-input", token: staff, json: ["entries": entries])
                #expect(reply.status == 200, "\(reply.body)")
                let results = reply.body["data"] as? [[String: Any]] ?? []
                let refused = results.filter { $0["status"] as? String != "recorded" }
                #expect(results.count == perBatch && refused.isEmpty, "batch \(batch): \(refused.first ?? [:])")
            }
            let read = try await http.call(.get, "/api/v1/production/spks/\(id)", token: staff)
            #expect(read.status == 200)
            #expect(read.data["reject_qty"] as? Int == batches * perBatch * perEntry, "\(read.data)")
            // PPIC's copy holds the same figure.
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let copied = await eventually(timeout: .seconds(60)) {
                let status = try? await http.call(.get, "/api/v1/ppic/reports/on-track-status?per_page=500", token: ppic)
                return status?.status == 200
            }
            #expect(copied)
        }
    }

    @Test("dates from another century: 400 naming the field at the gateway, and the owner refuses them too")
    func datesOutsideTheWindow() async throws {
        try await withStack { http in
            try await http.ensureArticle("BEAR-DATE")
            let admin = try await http.login("admin", "admin-dev-123")
            func spk(start: String, due: String) async throws -> HTTPClient.Reply {
                try await http.call(
                    .post, "/api/v1/production/spks", token: admin,
                    json: [
                        "article_code": "BEAR-DATE", "stage": "SEWING", "department": "SEWING", "original_qty": 10,
                        "start_date": start, "due_date": due,
                    ])
            }
            let ancient = try await spk(start: factoryDay(), due: "1900-01-01")
            #expect(ancient.status == 400 && ancient.errorFields.contains("due_date"), "\(ancient.body)")
            let far = try await spk(
                start: LocalDate(factoryDay())!.adding(years: 6).description, due: LocalDate(factoryDay())!.adding(years: 6).description)
            #expect(far.status == 400 && Set(far.errorFields) == ["start_date", "due_date"], "\(far.body)")
            let backwards = try await spk(start: factoryDay(10), due: factoryDay(2))
            #expect(backwards.status == 400 && backwards.errorFields == ["due_date"], "\(backwards.body)")
            // The edges of the window are accepted.
            let wide = try await spk(start: factoryDay(-365 * 4), due: factoryDay(365 * 4))
            #expect(wide.status == 201, "\(wide.body)")

            let order = try await http.call(
                .post, "/api/v1/production/orders", token: admin,
                json: [
                    "article_code": "BEAR-DATE", "qty": 10, "start_date": "1900-01-01", "due_date": factoryDay(10),
                ])
            #expect(order.status == 400 && order.errorFields == ["start_date"], "\(order.body)")
            let id = try #require(wide.data["id"] as? String)
            let input = try await http.call(.post, "/api/v1/production/spk/\(id)/daily-input", token: admin, json: ["date": "1900-01-01", "qty": 1])
            #expect(input.status == 400 && input.errorFields == ["date"], "\(input.body)")
            let movements = try await http.call(.get, "/api/v1/inventory/movements?from=1900-01-01", token: admin)
            #expect(movements.status == 400 && movements.errorFields == ["from"], "\(movements.body)")
            let pareto = try await http.call(.get, "/api/v1/quality/defects/pareto?from=2020-01-01", token: admin)
            #expect(pareto.status == 400 && pareto.errorFields == ["from"], "\(pareto.body)")
            let cost = try await http.call(.get, "/api/v1/ppic/reports/daily-summary?date=2999-01-01", token: admin)
            #expect(cost.status == 400 && cost.errorFields == ["date"], "\(cost.body)")
            // A phone's backlog is judged entry by entry by Production: the old entry alone is refused.
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            let batch = try await http.call(
                .post, "/api/v1/production/mobile/daily-input", token: staff,
                json: [
                    "entries": [
                        ["client_entry_id": "old-\(id)", "spk_id": id, "date": "1900-01-01", "qty": 1],
                        ["client_entry_id": "new-\(id)", "spk_id": id, "date": factoryDay(), "qty": 1],
                    ]
                ])
            let results = batch.body["data"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? String } == ["rejected", "recorded"], "\(batch.body)")

            // Sent straight to the broker, past the gateway, Production refuses it as it reads it.
            let bus = try #require(http.bus)
            let actor = Actor(userId: UUID().uuidString, username: "admin", roles: ["ADMIN"], department: nil)
            let command = CreateSPK(
                articleCode: "BEAR-DATE", stage: .sewing, department: .sewing, originalQty: 10,
                startDate: LocalDate(factoryDay())!, dueDate: LocalDate("1900-01-01")!)
            await #expect {
                _ = try await bus.send(TestActorKeys.signed(Envelope(command, actor: actor)), timeout: .seconds(5))
            } throws: { error in
                let reply = error as? ErrorReply
                return reply?.code == .malformed && reply?.message.contains("due_date") == true
            }
        }
    }
}
