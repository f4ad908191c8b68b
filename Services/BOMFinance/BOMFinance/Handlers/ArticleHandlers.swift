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
        let article = Article(
            code: code, name: command.name.trimmingCharacters(in: .whitespacesAndNewlines),
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

    /// All or nothing, like materials: every row is judged first; one refused row and nothing is
    /// written (422 naming each bad line); otherwise each article is created or updated, announced,
    /// and re-costed when its labour changed.
    func importCSV(_ command: ImportArticles, _ context: MessageContext) async throws -> ImportResult {
        _ = try context.require(BOMFinancePermissions.editMasterData, to: "Importing articles")
        let (rows, rejections) = ArticleCSV.parse(command.csv)
        if !rejections.isEmpty {
            let problems = rejections.map { FieldError(field: "line \($0.line)", message: ($0.code.map { "\($0): " } ?? "") + $0.reason) }
            throw ErrorReply.rule("Nothing was imported: \(problems.count) line(s) were refused.", details: problems)
        }
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let now = settings.now()
        var lines: [ImportResult.Line] = []
        var recost: [String] = []
        for row in rows {
            let before = try await store.article(row.code, lock: true)
            var article =
                before
                ?? Article(
                    code: row.code, name: row.name, customer: row.customer, route: row.route,
                    labourMinutes: row.labourMinutes, active: true, version: 0, updatedAt: now)
            article.name = row.name
            article.customer = row.customer
            article.route = row.route
            article.labourMinutes = row.labourMinutes
            guard before == nil || article != before! else {
                lines.append(.init(line: row.line, code: row.code, outcome: "UNCHANGED", reason: nil))
                continue
            }
            article.version += 1
            article.updatedAt = now
            if let before {
                try await store.update(article)
                try await context.audit("article", article.code, "import update", before: before, after: article)
                try await context.publish(ArticleChanged(article: article))
            } else {
                try await store.insert(article)
                try await context.audit("article", article.code, "import create", before: Article?.none, after: article)
                try await context.publish(ArticleCreated(article: article))
            }
            if article.labourMinutes != (before?.labourMinutes ?? []) { recost.append(article.code) }
            lines.append(.init(line: row.line, code: row.code, outcome: before == nil ? "CREATED" : "UPDATED", reason: nil))
        }
        if !recost.isEmpty { try await Recosting(settings: settings).recost(articles: recost, cause: "article import", context) }
        return ImportResult(applied: lines)
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
