import Contracts
import Foundation
import ServiceKit

/// What Production knows of articles: that they exist, their route (used when an order names no stages) and
/// their ACTIVE BOM (an order is pinned to it), learnt from BOMFinance's events, or asked once for an article never heard of.
struct ArticlePlanHandlers {
    let articles: any ArticlePlanRepository

    func articleCreated(_ event: ArticleCreated, _ context: MessageContext) async throws {
        try await articles.keep(event.article, in: context)
    }

    func articleChanged(_ event: ArticleChanged, _ context: MessageContext) async throws {
        try await articles.keep(event.article, in: context)
    }

    func bomActivated(_ event: BOMActivated, _ context: MessageContext) async throws {
        try await articles.keep(
            BOMReference(id: event.bom.id, code: event.bom.code, version: event.bom.version), of: event.bom.articleCode,
            activatedAt: event.bom.activatedAt ?? event.bom.updatedAt, in: context)
    }

    /// The article's ACTIVE BOM was archived: new orders are made unpinned (if no later version was
    /// activated meanwhile — only the pin to this very version is dropped).
    func bomArchived(_ event: BOMArchived, _ context: MessageContext) async throws {
        guard event.wasActive else { return }
        try await articles.forget(event.bom.id, of: event.bom.articleCode, at: event.bom.supersededAt ?? event.bom.updatedAt, in: context)
    }

    /// The article as Production knows it: its copy, else BOMFinance asked once and the answer kept
    /// (`copyOrAsk`). An SPK or order names an article BOMFinance knows: 422 naming `article_code` otherwise
    /// (the warehouse would refuse its cartons later); BOMFinance not answering is a 503.
    func require(_ article: String, _ context: MessageContext) async throws -> ArticlePlanCopy {
        let known = try await context.copyOrAsk(
            { try await articles.plan(article, in: context) },
            ask: GetArticlePlan(articleCode: article)
        ) { answer in
            try await articles.keep(answer.article, in: context)
            if let bom = answer.activeBOM { try await articles.keep(bom, of: article, activatedAt: .distantPast, in: context) }
        }
        guard let known else { throw ErrorReply.unknown("article", article, owner: .bomfinance, field: "article_code") }
        return known
    }

    /// The plan for an order of `article`: its route and the ACTIVE BOM the order is pinned to; the note says
    /// when there was none.
    func plan(for article: String, _ context: MessageContext) async throws -> (plan: ArticlePlanCopy, note: String?) {
        let plan = try await require(article, context)
        return (plan, plan.bom == nil ? "\(article) had no ACTIVE BOM when the order was made; the order is not pinned." : nil)
    }
}
