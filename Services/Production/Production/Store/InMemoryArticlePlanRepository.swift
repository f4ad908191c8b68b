import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Production's copy of articles in memory, for running handlers without a database, with the rules of
/// `PostgresArticlePlanRepository`'s writes: a route only from a newer article version, a BOM only from a later
/// activation, and a forgotten BOM that an older activation cannot bring back.
final class InMemoryArticlePlanRepository: ArticlePlanRepository {
    private struct Row {
        var route: [Stage]?
        var bom: BOMReference?
        var bomActivatedAt: Date?
        var version = 0
    }

    private let rows = Mutex<[String: Row]>([:])

    init() {}

    func plan(_ article: String, in context: MessageContext) async throws -> ArticlePlanCopy? {
        rows.withLock { $0[article] }.map { ArticlePlanCopy(route: $0.route, bom: $0.bom) }
    }

    func keep(_ article: Article, in context: MessageContext) async throws {
        rows.withLock { rows in
            guard let row = rows[article.code] else {
                rows[article.code] = Row(route: article.route, version: article.version)
                return
            }
            if row.version < article.version {
                rows[article.code]?.route = article.route
                rows[article.code]?.version = article.version
            }
        }
    }

    func keep(_ bom: BOMReference, of article: String, activatedAt: Date, in context: MessageContext) async throws {
        rows.withLock { rows in
            let row = rows[article] ?? Row()
            guard rows[article] == nil || row.bomActivatedAt.map({ $0 < activatedAt }) ?? true else { return }
            rows[article] = Row(route: row.route, bom: bom, bomActivatedAt: activatedAt, version: row.version)
        }
    }

    func forget(_ bom: UUID, of article: String, at: Date, in context: MessageContext) async throws {
        rows.withLock { rows in
            guard rows[article]?.bom?.id == bom else { return }
            rows[article]?.bom = nil
            rows[article]?.bomActivatedAt = at
        }
    }
}
