import Contracts
import Foundation
import ServiceKit

/// What Production knows of articles: their route (used when an order names no stages) and their ACTIVE
/// BOM (an order is pinned to it), learnt from BOMFinance's events, or asked once for an article never heard of.
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

    /// The plan for an order of `article`: the local copy, else BOMFinance's answer (kept). When BOMFinance
    /// does not know the article or cannot answer, the order is still made, unpinned, and the note says why.
    static func plan(for article: String, _ context: MessageContext) async throws -> (plan: ArticlePlanCopy, note: String?) {
        let store = ArticlePlanStore(connection: context.connection, logger: context.logger)
        if let known = try await store.plan(article), known.route != nil || known.bom != nil {
            return (known, known.bom == nil ? "\(article) had no ACTIVE BOM when the order was made; the order is not pinned." : nil)
        }
        do {
            let answer = try await context.askAsService(GetArticlePlan(articleCode: article), timeout: .seconds(3))
            try await store.keep(answer.article)
            if let bom = answer.activeBOM { try await store.keep(bom, of: article, activatedAt: .distantPast) }
            return (ArticlePlanCopy(route: answer.article.route, bom: answer.activeBOM),
                    answer.activeBOM == nil ? "\(article) had no ACTIVE BOM when the order was made; the order is not pinned." : nil)
        } catch let error as ErrorReply where error.code == .notFound {
            return (ArticlePlanCopy(route: nil, bom: nil), "\(article) is not in BOMFinance's master data; the order is not pinned to a BOM.")
        } catch let error as ErrorReply where [.unavailable, .timeout].contains(error.code) {
            context.logger.warning("BOMFinance did not answer for \(article): \(error)")
            return (ArticlePlanCopy(route: nil, bom: nil), "BOMFinance did not answer when the order was made; the order is not pinned.")
        }
    }
}
