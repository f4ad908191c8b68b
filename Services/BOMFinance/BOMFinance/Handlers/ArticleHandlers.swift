import Contracts
import Foundation
import ServiceKit

/// Articles: what the factory sells, with its route and labour minutes per stage.
struct ArticleHandlers {
    let settings: BOMFinanceSettings

    func create(_ command: CreateArticle, _ context: MessageContext) async throws -> Article {
        _ = try context.require(BOMFinancePermissions.editMasterData, to: "Creating an article")
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let code = ItemCode.normalized(command.code)
        if try await store.article(code) != nil { throw ErrorReply.conflict("Article \(code) already exists.") }
        let article = Article(code: code, name: command.name.trimmingCharacters(in: .whitespacesAndNewlines),
                              customer: command.customer?.trimmingCharacters(in: .whitespacesAndNewlines),
                              route: command.route ?? Stage.defaultRoute, labourMinutes: command.labourMinutes ?? [], active: true,
                              version: 1, updatedAt: settings.now())
        try await store.insert(article)
        try await context.audit("article", code, "create", before: Article?.none, after: article)
        try await context.publish(ArticleCreated(article: article))
        if !article.labourMinutes.isEmpty { try await Recosting(settings: settings).recost(articles: [code], cause: "article:\(code)", context) }
        return article
    }

    func update(_ command: UpdateArticle, _ context: MessageContext) async throws -> Article {
        _ = try context.require(BOMFinancePermissions.editMasterData, to: "Changing an article")
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let before = try await store.requireArticle(command.code, lock: true)
        var article = before
        if let name = command.name { article.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let customer = command.customer { article.customer = customer.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let route = command.route { article.route = route }
        if let labour = command.labourMinutes { article.labourMinutes = labour }
        if let active = command.active { article.active = active }
        guard article != before else { return before }
        article.version += 1
        article.updatedAt = settings.now()
        try await store.update(article)
        try await context.audit("article", article.code, "update", before: before, after: article)
        try await context.publish(ArticleChanged(article: article))
        if article.labourMinutes != before.labourMinutes {
            try await Recosting(settings: settings).recost(articles: [article.code], cause: "article:\(article.code)", context)
        }
        return article
    }

    func get(_ query: GetArticle, _ context: MessageContext) async throws -> Article {
        try await ItemStore(connection: context.connection, logger: context.logger).requireArticle(query.code)
    }

    func list(_ query: ListArticles, _ context: MessageContext) async throws -> Page<Article> {
        try query.page.validate()
        return try await ItemStore(connection: context.connection, logger: context.logger).listArticles(query)
    }

    /// For Production, planning an order for an article it has no copy of.
    func plan(_ query: GetArticlePlan, _ context: MessageContext) async throws -> ArticlePlan {
        let article = try await ItemStore(connection: context.connection, logger: context.logger).requireArticle(query.articleCode)
        let active = try await BOMStore(connection: context.connection, logger: context.logger).active(of: article.code)
        return ArticlePlan(article: article, activeBOM: active.map { BOMReference(id: $0.id, code: $0.code, version: $0.version) })
    }
}
