import Foundation
import Testing

/// Production takes work only for articles BOMFinance knows (issue 23, item 4): the warehouse would
/// refuse the cartons of an SPK for an unknown article much later.
extension ProductionHTTPTests {
    @Test("an SPK or order for an article BOMFinance does not know is 422 on article_code and makes nothing; a new article is taken at once")
    func workNamesAKnownArticle() async throws {
        try await withStack { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let ghost = "GHOST-\(BOMFinanceHTTPTests.tag())"
            let spk = try await http.call(
                .post, "/api/v1/production/spks", token: ppic,
                json: [
                    "article_code": ghost, "stage": "SEWING", "department": "SEWING", "original_qty": 100,
                    "start_date": factoryDay(), "due_date": factoryDay(7),
                ])
            #expect(spk.status == 422 && spk.errorFields == ["article_code"], "\(spk.body)")
            let order = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": ghost, "qty": 100, "start_date": factoryDay(), "due_date": factoryDay(7),
                ])
            #expect(order.status == 422 && order.errorFields == ["article_code"], "\(order.body)")
            #expect(try await http.call(.get, "/api/v1/production/orders?article_code=\(ghost)", token: ppic).list.isEmpty)
            #expect(
                try await http.call(.get, "/api/v1/production/spks?per_page=500", token: ppic).list
                    .allSatisfy { $0["article_code"] as? String != ghost })

            // Made a moment ago: Production has no copy yet, asks BOMFinance once and keeps the answer.
            let fresh = "FRESH-\(BOMFinanceHTTPTests.tag())"
            try await http.ensureArticle(fresh)
            let made = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": fresh, "qty": 100, "start_date": factoryDay(), "due_date": factoryDay(7), "stages": ["SEWING", "PACKING"],
                ])
            #expect(made.status == 201, "\(made.body)")
        }
    }
}
