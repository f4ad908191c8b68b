/// Production takes SPKs and orders only for articles BOMFinance knows: tests make theirs first, as a
/// planner would (an article that exists already is fine).
extension HTTPClient {
    func ensureArticle(_ code: String) async throws {
        let ppic = try await login("ppic", "ppic-dev-123")
        let reply = try await call(.post, "/api/v1/master/articles", token: ppic, json: ["code": code, "name": "Article \(code)"])
        guard reply.status == 201 || reply.status == 409 else { throw TestFailure("article \(code): \(reply.status) \(reply.body)") }
    }
}
