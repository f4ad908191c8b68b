import Contracts
import Foundation
import Logging
import PostgresNIO

/// An article as Production plans orders for it: its route and ACTIVE BOM, as BOMFinance announced them.
struct ArticlePlanCopy: Sendable {
    var route: [Stage]?
    var bom: BOMReference?
}

/// Production's copy of BOMFinance's articles (route) and their ACTIVE BOM versions, kept from events.
struct ArticlePlanStore {
    let connection: PostgresConnection
    let logger: Logger

    func plan(_ article: String) async throws -> ArticlePlanCopy? {
        let rows = try await connection.query("""
            SELECT route, bom_id, bom_code, bom_version FROM article_plans WHERE article_code = \(article)
            """, logger: logger)
        for try await (route, id, code, version) in rows.decode(([String]?, UUID?, String?, Int?).self) {
            let bom = id.flatMap { id in code.flatMap { code in version.map { BOMReference(id: id, code: code, version: $0) } } }
            return ArticlePlanCopy(route: route?.compactMap(Stage.init(rawValue:)), bom: bom)
        }
        return nil
    }

    /// The article's route, newest version wins.
    func keep(_ article: Article) async throws {
        try await connection.query("""
            INSERT INTO article_plans (article_code, route, version) VALUES (\(article.code), \(article.route.map(\.rawValue)), \(article.version))
            ON CONFLICT (article_code) DO UPDATE SET route = EXCLUDED.route, version = EXCLUDED.version
            WHERE article_plans.version < EXCLUDED.version
            """, logger: logger)
    }

    /// The article's ACTIVE BOM, the latest activation wins.
    func keep(_ bom: BOMReference, of article: String, activatedAt: Date) async throws {
        try await connection.query("""
            INSERT INTO article_plans (article_code, bom_id, bom_code, bom_version, bom_activated_at)
            VALUES (\(article), \(bom.id), \(bom.code), \(bom.version), \(activatedAt))
            ON CONFLICT (article_code) DO UPDATE SET bom_id = EXCLUDED.bom_id, bom_code = EXCLUDED.bom_code,
                bom_version = EXCLUDED.bom_version, bom_activated_at = EXCLUDED.bom_activated_at
            WHERE article_plans.bom_activated_at IS NULL OR article_plans.bom_activated_at < EXCLUDED.bom_activated_at
            """, logger: logger)
    }

    /// Drops the pin to `bom` (archived at `at`); an activation older than that cannot bring it back.
    func forget(_ bom: UUID, of article: String, at: Date) async throws {
        try await connection.query("""
            UPDATE article_plans SET bom_id = NULL, bom_code = NULL, bom_version = NULL, bom_activated_at = \(at)
            WHERE article_code = \(article) AND bom_id = \(bom)
            """, logger: logger)
    }
}
