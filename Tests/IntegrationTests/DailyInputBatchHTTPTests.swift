import Foundation
import HTTPTypes
import Testing

/// Daily inputs that reach Production together are applied in one transaction (`HandlerRegistry.handleBatch`): each
/// must still be answered and applied exactly as if it had come alone. Nested in the one serialized HTTP
/// suite: every test stack consumes the same queues, so two stacks at once would take each other's messages.
extension ProductionHTTPTests {
    @Suite("Daily inputs arriving together", .serialized)
    struct DailyInputBatchHTTPTests {
        @Test("many lines posting at once: each entry applied once and in turn, a refused one answered alone")
        func inputsArrivingTogether() async throws {
            try await withStack { http in
                let ppic = try await http.login("ppic", "ppic-dev-123")
                let staff = try await http.login("staff_sewing", "staff-dev-123")
                // An article of this test's own, so Quality's tally below counts only these entries.
                let article = "BATCH-\(UUID().uuidString.prefix(8))"
                try await http.ensureArticle(article)
                var made: [String] = []
                for _ in 0..<3 {
                    let spk = try await http.call(
                        .post, "/api/v1/production/spks", token: ppic,
                        json: [
                            "article_code": article, "stage": "SEWING", "department": "SEWING", "original_qty": 100,
                            "start_date": factoryDay(-3), "due_date": factoryDay(7),
                        ])
                    made.append(try #require(spk.data["code"] as? String, "\(spk.body)"))
                }
                let codes = made
                let key = "phone-\(UUID().uuidString)"
                let idempotent = "web-\(UUID().uuidString)"
                enum Kind: Sendable {
                    case plain(Int)
                    case future(Int)
                    case unknown, phone, keyed, defective
                }
                var kinds: [Kind] = (0..<36).map { .plain($0 % 3) }
                kinds += [.future(0), .future(1), .unknown, .phone, .phone, .phone, .keyed, .keyed]
                kinds += Array(repeating: .defective, count: 4)
                let replies = try await withThrowingTaskGroup(of: (Kind, HTTPClient.Reply).self) { group in
                    for kind in kinds.shuffled() {
                        group.addTask {
                            let reply: HTTPClient.Reply
                            switch kind {
                            case .plain(let spk):
                                reply = try await http.call(
                                    .post, "/api/v1/production/spk/\(codes[spk])/daily-input", token: staff,
                                    json: ["date": factoryDay(), "qty": 1])
                            case .future(let spk):
                                reply = try await http.call(
                                    .post, "/api/v1/production/spk/\(codes[spk])/daily-input", token: staff,
                                    json: ["date": factoryDay(3), "qty": 1])
                            case .unknown:
                                reply = try await http.call(
                                    .post, "/api/v1/production/spk/SPK-19990101-0042/daily-input", token: staff,
                                    json: ["date": factoryDay(), "qty": 1])
                            case .phone:
                                reply = try await http.call(
                                    .post, "/api/v1/production/spk/\(codes[0])/daily-input", token: staff,
                                    json: ["date": factoryDay(), "qty": 5, "client_entry_id": key])
                            case .defective:
                                // Checking the codes may mean asking Quality: such an entry is not held in a batch.
                                reply = try await http.call(
                                    .post, "/api/v1/production/spk/\(codes[0])/daily-input", token: staff,
                                    json: [
                                        "date": factoryDay(), "qty": 1, "reject_qty": 2,
                                        "defects": [["code": "OPEN_SEAM", "qty": 2]],
                                    ])
                            case .keyed:
                                reply = try await http.call(
                                    .post, "/api/v1/production/spk/\(codes[2])/daily-input", token: staff,
                                    json: ["date": factoryDay(), "qty": 7], headers: [HTTPField.Name("Idempotency-Key")!: idempotent])
                            }
                            return (kind, reply)
                        }
                    }
                    return try await group.reduce(into: [(Kind, HTTPClient.Reply)]()) { $0.append($1) }
                }
                for (kind, reply) in replies {
                    switch kind {
                    case .plain, .phone, .keyed, .defective: #expect(reply.status == 200, "\(reply.body)")
                    case .future: #expect(reply.status == 422 && reply.errorFields == ["date"], "\(reply.body)")
                    case .unknown: #expect(reply.status == 404, "\(reply.body)")
                    }
                }
                // Each plain entry saw the ones before it: on SPKs 1, its 12 entries of 1 answered cumulative 1 to 12.
                let second = replies.filter { if case .plain(1) = $0.0 { true } else { false } }.compactMap { $0.1.data["cumulative"] as? Int }
                #expect(second.sorted() == Array(1...12))
                // The phone's three copies and the web's two are one entry each.
                let phone = replies.filter { if case .phone = $0.0 { true } else { false } }.compactMap { $0.1.data["entry_id"] as? String }
                #expect(phone.count == 3 && Set(phone).count == 1)
                let keyed = replies.filter { if case .keyed = $0.0 { true } else { false } }.compactMap { $0.1.data["entry_id"] as? String }
                #expect(keyed.count == 2 && Set(keyed).count == 1)
                let expected = [12 + 5 + 4, 12, 12 + 7]
                for (code, produced) in zip(codes, expected) {
                    let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: staff).data
                    #expect(progress["cumulative"] as? Int == produced, "\(code): \(progress)")
                }
                // PPIC follows every entry once.
                // Quality tallies each entry and its defects once.
                let pareto = "/api/v1/quality/defects/pareto?stage=SEWING&article_code=\(article)&from=\(factoryDay())&to=\(factoryDay())"
                #expect(
                    await eventually {
                        let data = (try? await http.call(.get, pareto, token: ppic))?.data ?? [:]
                        return data["total_defects"] as? Int == 8 && data["total_output"] as? Int == 21 + 8 + 12 + 19
                    })
                _ = try await ProductionHTTPTests.health(http, ppic, actual: Dictionary(uniqueKeysWithValues: zip(codes, expected)))
            }
        }
    }
}
