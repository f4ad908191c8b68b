import Foundation
import HTTPTypes
import Testing

/// Daily inputs that reach Production together are applied in one transaction (`handleInBulk`): each
/// must still be answered and applied exactly as if it had come alone.
@Suite("Daily inputs arriving together", .serialized)
struct DailyInputBatchHTTPTests {
    @Test("many lines posting at once: each entry applied once and in turn, a refused one answered alone")
    func inputsArrivingTogether() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            var made: [String] = []
            for _ in 0..<3 { made.append(try #require(try await ProductionHTTPTests.newSPK(http, token: ppic, qty: 100)["code"] as? String)) }
            let codes = made
            let key = "phone-\(UUID().uuidString)"
            let idempotent = "web-\(UUID().uuidString)"
            enum Kind: Sendable { case plain(Int), future(Int), unknown, phone, keyed }
            var kinds: [Kind] = (0..<36).map { .plain($0 % 3) }
            kinds += [.future(0), .future(1), .unknown, .phone, .phone, .phone, .keyed, .keyed]
            let replies = try await withThrowingTaskGroup(of: (Kind, HTTPClient.Reply).self) { group in
                for kind in kinds.shuffled() {
                    group.addTask {
                        let reply: HTTPClient.Reply
                        switch kind {
                        case .plain(let spk):
                            reply = try await http.call(.post, "/api/v1/production/spk/\(codes[spk])/daily-input", token: staff,
                                                        json: ["date": factoryDay(), "qty": 1])
                        case .future(let spk):
                            reply = try await http.call(.post, "/api/v1/production/spk/\(codes[spk])/daily-input", token: staff,
                                                        json: ["date": factoryDay(3), "qty": 1])
                        case .unknown:
                            reply = try await http.call(.post, "/api/v1/production/spk/SPK-19990101-0042/daily-input", token: staff,
                                                        json: ["date": factoryDay(), "qty": 1])
                        case .phone:
                            reply = try await http.call(.post, "/api/v1/production/spk/\(codes[0])/daily-input", token: staff,
                                                        json: ["date": factoryDay(), "qty": 5, "client_entry_id": key])
                        case .keyed:
                            reply = try await http.call(.post, "/api/v1/production/spk/\(codes[2])/daily-input", token: staff,
                                                        json: ["date": factoryDay(), "qty": 7], headers: [HTTPField.Name("Idempotency-Key")!: idempotent])
                        }
                        return (kind, reply)
                    }
                }
                return try await group.reduce(into: [(Kind, HTTPClient.Reply)]()) { $0.append($1) }
            }
            for (kind, reply) in replies {
                switch kind {
                case .plain, .phone, .keyed: #expect(reply.status == 200, "\(reply.body)")
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
            let expected = [12 + 5, 12, 12 + 7]
            for (code, produced) in zip(codes, expected) {
                let progress = try await http.call(.get, "/api/v1/production/spk/\(code)/progress", token: staff).data
                #expect(progress["cumulative"] as? Int == produced, "\(code): \(progress)")
            }
            // PPIC follows every entry once.
            _ = try await ProductionHTTPTests.health(http, ppic, actual: Dictionary(uniqueKeysWithValues: zip(codes, expected)))
        }
    }
}
