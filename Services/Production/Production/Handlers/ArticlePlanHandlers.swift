import Contracts
import Foundation
import ServiceKit

/// What Production knows of articles: that they exist, their route (used when an order names no stages) and
/// their ACTIVE BOM (an order is pinned to it), learnt from BOMFinance's events, or asked once for an article never heard of.
struct ArticlePlanHandlers {
    func articleCreated(_ event: ArticleCreated, _ context: MessageContext) async throws {
        try await ArticlePlanStore(connection: context.connection, logger: context.logger).keep(event.article)
    }

    func articleChanged(_ event: ArticleChanged, _ context: MessageContext) async throws {
        try await ArticlePlanStore(connection: context.connection, logger: context.logger).keep(event.article)
    }

    func bomActivated(_ event: BOMActivated, _ context: MessageContext) async throws {
        try await ArticlePlanStore(connection: context.connection, logger: context.logger).keep(
            BOMReference(id: event.bom.id, code: event.bom.code, version: event.bom.version), of: event.bom.articleCode,
            activatedAt: event.bom.activatedAt ?? event.bom.updatedAt)
    }

    /// The article's ACTIVE BOM was archived: new orders are made unpinned (if no later version was
    /// activated meanwhile — only the pin to this very version is dropped).
    func bomArchived(_ event: BOMArchived, _ context: MessageContext) async throws {
        guard event.wasActive else { return }
        try await ArticlePlanStore(connection: context.connection, logger: context.logger).forget(
            event.bom.id, of: event.bom.articleCode, at: event.bom.supersededAt ?? event.bom.updatedAt)
    }

    /// The article as Production knows it: its copy, else BOMFinance asked once and the answer kept
    /// (`copyOrAsk`). An SPK or order names an article BOMFinance knows: 422 naming `article_code` otherwise
    /// (the warehouse would refuse its cartons later); BOMFinance not answering is a 503.
    static func require(_ article: String, _ context: MessageContext) async throws -> ArticlePlanCopy {
        let store = ArticlePlanStore(connection: context.connection, logger: context.logger)
        let known = try await context.copyOrAsk({ try await store.plan(article) }, ask: GetArticlePlan(articleCode: article)) { answer in
            try await store.keep(answer.article)
            if let bom = answer.activeBOM { try await store.keep(bom, of: article, activatedAt: .distantPast) }
        }
        guard let known else { throw ErrorReply.unknown("article", article, owner: .bomfinance, field: "article_code") }
        return known
    }

    /// The plan for an order of `article`: its route and the ACTIVE BOM the order is pinned to; the note says
    /// when there was none.
    static func plan(for article: String, _ context: MessageContext) async throws -> (plan: ArticlePlanCopy, note: String?) {
        let plan = try await require(article, context)
        return (plan, plan.bom == nil ? "\(article) had no ACTIVE BOM when the order was made; the order is not pinned." : nil)
    }
}
