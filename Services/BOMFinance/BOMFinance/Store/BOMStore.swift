import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// BOM versions and the where-used graph, on the handler's connection (inside its transaction).
struct BOMStore {
    let connection: PostgresConnection
    let logger: Logger

    func insert(_ bom: BOM) async throws {
        try await connection.query(
            """
            INSERT INTO boms (id, code, article_code, version, status, activated_at, superseded_at, created_at, document)
            VALUES (\(bom.id), \(bom.code), \(bom.articleCode), \(bom.version), \(bom.status.rawValue), \(bom.activatedAt),
                    \(bom.supersededAt), \(bom.createdAt), \(try ItemStore.json(bom))::jsonb)
            """, logger: logger)
        try await replaceComponents(bom)
    }

    func update(_ bom: BOM) async throws {
        var stored = bom
        stored.pinnedOrders = nil
        stored.exploded = nil
        try await connection.query(
            """
            UPDATE boms SET status = \(bom.status.rawValue), activated_at = \(bom.activatedAt), superseded_at = \(bom.supersededAt),
                   document = \(try ItemStore.json(stored))::jsonb
            WHERE id = \(bom.id)
            """, logger: logger)
        try await replaceComponents(bom)
    }

    func delete(_ bom: BOM) async throws {
        try await connection.query("DELETE FROM boms WHERE id = \(bom.id)", logger: logger)
    }

    private func replaceComponents(_ bom: BOM) async throws {
        try await connection.query("DELETE FROM bom_components WHERE bom_id = \(bom.id)", logger: logger)
        let kinds = bom.lines.map { $0.materialCode == nil ? "A" : "M" }
        let codes = bom.lines.map(\.componentCode)
        try await connection.query(
            """
            INSERT INTO bom_components (bom_id, kind, component)
            SELECT DISTINCT \(bom.id), k, c FROM unnest(\(kinds)::text[], \(codes)::text[]) AS t(k, c)
            """, logger: logger)
    }

    /// By id or code; `lock` serialises changes of one BOM.
    func find(_ reference: String, lock: Bool = false) async throws -> BOM? {
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "id")
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT document::text, (SELECT count(*)::bigint FROM orders o WHERE o.bom_id = boms.id) FROM boms
                    WHERE \(column) = $1\(lock ? " FOR UPDATE" : "")
                    """, binds: binds), logger: logger)
        for try await (document, pinned) in rows.decode((String, Int).self) {
            var bom = try Self.decode(document)
            bom.pinnedOrders = pinned
            return bom
        }
        return nil
    }

    func require(_ reference: String, lock: Bool = false) async throws -> BOM {
        guard let bom = try await find(reference, lock: lock) else { throw ErrorReply.notFound("BOM \(reference)") }
        return bom
    }

    func active(of article: String, lock: Bool = false) async throws -> BOM? {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT document::text FROM boms WHERE article_code = $1 AND status = 'ACTIVE'\(lock ? " FOR UPDATE" : "")
                    """, binds: try ItemStore.binds(article)), logger: logger)
        for try await document in rows.decode(String.self) { return try Self.decode(document) }
        return nil
    }

    func nextVersion(of article: String) async throws -> Int {
        for try await last in try await connection.query(
            "SELECT coalesce(max(version), 0)::bigint FROM boms WHERE article_code = \(article)", logger: logger
        ).decode(Int.self) {
            return last + 1
        }
        return 1
    }

    func list(_ query: ListBOMs) async throws -> Page<BOM> {
        var binds = PostgresBindings()
        var conditions = ["true"]
        if let article = query.articleCode {
            binds.append(ItemCode.normalized(article))
            conditions.append("article_code = $\(binds.count)")
        }
        if let status = query.status {
            binds.append(status.rawValue)
            conditions.append("status = $\(binds.count)")
        }
        let filter = conditions.joined(separator: " AND ")
        var total = 0
        for try await count in try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*)::bigint FROM boms WHERE \(filter)",
                binds: binds), logger: logger
        ).decode(Int.self) { total = count }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT document::text FROM boms WHERE \(filter) ORDER BY article_code, version DESC
                    LIMIT \(query.page.perPage) OFFSET \(query.page.offset)
                    """, binds: binds), logger: logger)
        var items: [BOM] = []
        for try await document in rows.decode(String.self) { items.append(try Self.decode(document)) }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    /// The lines of every BOM in force at `instant` below `root` (sub-assemblies, every level), by article.
    /// `rootLines` replaces the root's own (a draft being checked, a pinned version).
    func graph(below root: String, rootLines: [BOMLine]?, at instant: Date) async throws -> [String: [BOMLine]] {
        let rows = try await connection.query(
            """
            WITH RECURSIVE inforce AS (
                SELECT id, article_code, document FROM boms
                WHERE activated_at IS NOT NULL AND activated_at <= \(instant) AND (superseded_at IS NULL OR superseded_at > \(instant))),
            tree(article) AS (
                SELECT c.component FROM unnest(\(rootLines.map { $0.compactMap(\.articleCode) } ?? [root])::text[]) AS c(component)
                UNION
                SELECT c.component FROM tree JOIN inforce b ON b.article_code = tree.article
                JOIN bom_components c ON c.bom_id = b.id AND c.kind = 'A')
            SELECT b.article_code, b.document::text FROM inforce b JOIN tree ON tree.article = b.article_code
            """, logger: logger)
        var lines: [String: [BOMLine]] = [:]
        for try await (article, document) in rows.decode((String, String).self) { lines[article] = try Self.decode(document).lines }
        if let rootLines { lines[root] = rootLines }
        return lines
    }

    /// Articles whose ACTIVE BOM uses any of `materials` or `articles`, at any level above them.
    func whereUsed(materials: [String], articles: [String]) async throws -> Set<String> {
        let rows = try await connection.query(
            """
            WITH RECURSIVE up(article) AS (
                SELECT b.article_code FROM bom_components c JOIN boms b ON b.id = c.bom_id AND b.status = 'ACTIVE'
                WHERE (c.kind = 'M' AND c.component = ANY(\(materials))) OR (c.kind = 'A' AND c.component = ANY(\(articles)))
                UNION
                SELECT b.article_code FROM up JOIN bom_components c ON c.kind = 'A' AND c.component = up.article
                JOIN boms b ON b.id = c.bom_id AND b.status = 'ACTIVE')
            SELECT article FROM up
            """, logger: logger)
        var found: Set<String> = []
        for try await article in rows.decode(String.self) { found.insert(article) }
        return found
    }

    /// The ACTIVE lines of `articles`.
    func activeLines(_ articles: [String]) async throws -> [String: [BOMLine]] {
        guard !articles.isEmpty else { return [:] }
        var lines: [String: [BOMLine]] = [:]
        for try await (article, document) in try await connection.query(
            """
            SELECT article_code, document->>'lines' FROM boms WHERE status = 'ACTIVE' AND article_code = ANY(\(articles))
            """, logger: logger
        ).decode((String, String).self) {
            lines[article] = try StitchJSON.decode([BOMLine].self, from: Array(document.utf8))
        }
        return lines
    }

    static func decode(_ document: String) throws -> BOM { try StitchJSON.decode(BOM.self, from: Array(document.utf8)) }
}

extension BOMStore {
    /// The version of `article` in force at `instant` (activated by then and not yet superseded).
    func inForce(_ article: String, at instant: Date) async throws -> BOM? {
        let rows = try await connection.query(
            """
            SELECT document::text FROM boms WHERE article_code = \(article) AND activated_at IS NOT NULL
              AND activated_at <= \(instant) AND (superseded_at IS NULL OR superseded_at > \(instant))
            ORDER BY activated_at DESC LIMIT 1
            """, logger: logger)
        for try await document in rows.decode(String.self) { return try Self.decode(document) }
        return nil
    }
}
