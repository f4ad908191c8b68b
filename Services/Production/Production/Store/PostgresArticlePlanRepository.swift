import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Production's copy of BOMFinance's articles in schema `production`, on the message's transaction.
struct PostgresArticlePlanRepository: ArticlePlanRepository {
    func plan(_ article: String, in context: MessageContext) async throws -> ArticlePlanCopy? {
        let rows = try await context.connection.query(
            """
            SELECT route, bom_id, bom_code, bom_version FROM article_plans WHERE article_code = \(article)
            """, logger: context.logger)
        for try await (route, id, code, version) in rows.decode(([String]?, UUID?, String?, Int?).self) {
            let bom = id.flatMap { id in code.flatMap { code in version.map { BOMReference(id: id, code: code, version: $0) } } }
            return ArticlePlanCopy(route: route?.compactMap(Stage.init(rawValue:)), bom: bom)
        }
        return nil
    }

    func keep(_ article: Article, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO article_plans (article_code, route, version) VALUES (\(article.code), \(article.route.map(\.rawValue)), \(article.version))
            ON CONFLICT (article_code) DO UPDATE SET route = EXCLUDED.route, version = EXCLUDED.version
            WHERE article_plans.version < EXCLUDED.version
            """, logger: context.logger)
    }

    func keep(_ bom: BOMReference, of article: String, activatedAt: Date, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO article_plans (article_code, bom_id, bom_code, bom_version, bom_activated_at)
            VALUES (\(article), \(bom.id), \(bom.code), \(bom.version), \(activatedAt))
            ON CONFLICT (article_code) DO UPDATE SET bom_id = EXCLUDED.bom_id, bom_code = EXCLUDED.bom_code,
                bom_version = EXCLUDED.bom_version, bom_activated_at = EXCLUDED.bom_activated_at
            WHERE article_plans.bom_activated_at IS NULL OR article_plans.bom_activated_at < EXCLUDED.bom_activated_at
            """, logger: context.logger)
    }

    func forget(_ bom: UUID, of article: String, at: Date, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE article_plans SET bom_id = NULL, bom_code = NULL, bom_version = NULL, bom_activated_at = \(at)
            WHERE article_code = \(article) AND bom_id = \(bom)
            """, logger: context.logger)
    }
}
