import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Materials (with their cost history) and articles, on the handler's connection (inside its transaction).
struct ItemStore {
    let connection: PostgresConnection
    let logger: Logger

    // MARK: Materials

    private static let materialColumns = """
        m.code, m.name, m.category, m.unit, m.active, m.version, m.updated_at,
        (SELECT c.cost::text FROM material_costs c WHERE c.material_code = m.code AND c.effective_from <= $1::date
         ORDER BY c.effective_from DESC LIMIT 1),
        (SELECT c.effective_from::text FROM material_costs c WHERE c.material_code = m.code AND c.effective_from <= $1::date
         ORDER BY c.effective_from DESC LIMIT 1)
        """

    /// The material as it is on `today` (its cost is the one in force then); `lock` holds the row.
    func material(_ code: String, today: LocalDate, lock: Bool = false) async throws -> Material? {
        var binds = PostgresBindings()
        binds.append(today.description)
        binds.append(ItemCode.normalized(code))
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.materialColumns) FROM materials m WHERE m.code = $2\(lock ? " FOR UPDATE OF m" : "")
                    """, binds: binds), logger: logger)
        for try await row in rows { return try Self.material(row) }
        return nil
    }

    func requireMaterial(_ code: String, today: LocalDate, lock: Bool = false) async throws -> Material {
        guard let material = try await material(code, today: today, lock: lock) else { throw ErrorReply.notFound("Material \(code)") }
        return material
    }

    func listMaterials(_ query: ListMaterials, today: LocalDate) async throws -> Page<Material> {
        var binds = PostgresBindings()
        binds.append(today.description)
        var conditions = ["true"]
        if let category = query.category {
            binds.append(category.rawValue)
            conditions.append("m.category = $\(binds.count)")
        }
        if let search = query.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            binds.append("%\(search.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_"))%")
            conditions.append("(m.code ILIKE $\(binds.count) OR m.name ILIKE $\(binds.count))")
        }
        let filter = conditions.joined(separator: " AND ")
        var total = 0
        for try await count in try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT count(*)::bigint FROM materials m WHERE \(filter) AND $1::date IS NOT NULL
                    """, binds: binds), logger: logger
        ).decode(Int.self) { total = count }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.materialColumns) FROM materials m WHERE \(filter)
                    ORDER BY m.code LIMIT \(query.page.perPage) OFFSET \(query.page.offset)
                    """, binds: binds), logger: logger)
        var items: [Material] = []
        for try await row in rows { items.append(try Self.material(row)) }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    func insert(_ material: Material) async throws {
        try await connection.query(
            """
            INSERT INTO materials (code, name, category, unit, active, version, updated_at)
            VALUES (\(material.code), \(material.name), \(material.category.rawValue), \(material.unit.rawValue), \(material.active),
                    \(material.version), \(material.updatedAt))
            """, logger: logger)
    }

    func update(_ material: Material) async throws {
        try await connection.query(
            """
            UPDATE materials SET name = \(material.name), category = \(material.category.rawValue), unit = \(material.unit.rawValue),
                   active = \(material.active), version = \(material.version), updated_at = \(material.updatedAt)
            WHERE code = \(material.code)
            """, logger: logger)
    }

    /// Records a cost from a date (a second cost for the same date replaces the first; the audit log keeps both).
    func setCost(_ code: String, _ entry: CostEntry) async throws {
        try await connection.query(
            """
            INSERT INTO material_costs (material_code, effective_from, cost, reason, recorded_by, recorded_at)
            VALUES (\(code), \(entry.effectiveFrom.description)::date, \(entry.cost.description)::numeric, \(entry.reason),
                    \(entry.recordedBy), \(entry.recordedAt))
            ON CONFLICT (material_code, effective_from) DO UPDATE SET cost = EXCLUDED.cost, reason = EXCLUDED.reason,
                recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
            """, logger: logger)
    }

    func costHistory(_ code: String) async throws -> [CostEntry] {
        let rows = try await connection.query(
            """
            SELECT cost::text, effective_from::text, reason, recorded_by, recorded_at FROM material_costs
            WHERE material_code = \(code) ORDER BY effective_from DESC
            """, logger: logger)
        var history: [CostEntry] = []
        for try await (cost, from, reason, by, at) in rows.decode((String, String, String?, String?, Date).self) {
            history.append(
                CostEntry(
                    cost: Decimal(string: cost) ?? 0, effectiveFrom: LocalDate(from)!, reason: reason, recordedBy: by,
                    recordedAt: at))
        }
        return history
    }

    /// Costs in force on `day` of `codes` (materials without one are left out).
    func costs(of codes: [String], on day: LocalDate) async throws -> [String: Decimal] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (material_code) material_code, cost::text FROM material_costs
            WHERE material_code = ANY(\(codes)) AND effective_from <= \(day.description)::date
            ORDER BY material_code, effective_from DESC
            """, logger: logger)
        var costs: [String: Decimal] = [:]
        for try await (code, cost) in rows.decode((String, String).self) { costs[code] = Decimal(string: cost) }
        return costs
    }

    func units(of codes: [String]) async throws -> [String: UnitOfMeasure] {
        guard !codes.isEmpty else { return [:] }
        var units: [String: UnitOfMeasure] = [:]
        for try await (code, unit) in try await connection.query(
            "SELECT code, unit FROM materials WHERE code = ANY(\(codes))", logger: logger
        ).decode((String, String).self) {
            units[code] = UnitOfMeasure(rawValue: unit)
        }
        return units
    }

    /// Whether any BOM version names the material.
    func isUsed(material code: String) async throws -> Bool {
        for try await _ in try await connection.query(
            "SELECT 1 FROM bom_components WHERE kind = 'M' AND component = \(code) LIMIT 1", logger: logger)
        { return true }
        return false
    }

    private static func material(_ row: PostgresRow) throws -> Material {
        let (code, name, category, unit, active, version, updated, cost, from) =
            try row.decode((String, String, String, String, Bool, Int, Date, String?, String?).self)
        return Material(
            code: code, name: name, category: MaterialCategory(rawValue: category) ?? .other,
            unit: UnitOfMeasure(rawValue: unit) ?? .pcs, standardCost: cost.flatMap { Decimal(string: $0) },
            costEffectiveFrom: from.flatMap(LocalDate.init), active: active, version: version, updatedAt: updated)
    }

    // MARK: Articles

    func article(_ code: String, lock: Bool = false) async throws -> Article? {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT code, name, customer, route, labour::text, active, version, updated_at FROM articles WHERE code = $1\(lock ? " FOR UPDATE" : "")
                    """, binds: try Self.binds(ItemCode.normalized(code))), logger: logger)
        for try await row in rows { return try Self.article(row) }
        return nil
    }

    func requireArticle(_ code: String, lock: Bool = false) async throws -> Article {
        guard let article = try await article(code, lock: lock) else { throw ErrorReply.notFound("Article \(code)") }
        return article
    }

    func articles(_ codes: [String]) async throws -> [String: Article] {
        guard !codes.isEmpty else { return [:] }
        var found: [String: Article] = [:]
        for try await row in try await connection.query(
            """
            SELECT code, name, customer, route, labour::text, active, version, updated_at FROM articles WHERE code = ANY(\(codes))
            """, logger: logger)
        {
            let article = try Self.article(row)
            found[article.code] = article
        }
        return found
    }

    func listArticles(_ query: ListArticles) async throws -> Page<Article> {
        var binds = PostgresBindings()
        var filter = "true"
        if let search = query.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            binds.append("%\(search.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_"))%")
            filter = "(code ILIKE $1 OR name ILIKE $1 OR customer ILIKE $1)"
        }
        var total = 0
        for try await count in try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*)::bigint FROM articles WHERE \(filter)",
                binds: binds), logger: logger
        ).decode(Int.self) { total = count }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT code, name, customer, route, labour::text, active, version, updated_at FROM articles WHERE \(filter)
                    ORDER BY code LIMIT \(query.page.perPage) OFFSET \(query.page.offset)
                    """, binds: binds), logger: logger)
        var items: [Article] = []
        for try await row in rows { items.append(try Self.article(row)) }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    func insert(_ article: Article) async throws {
        try await connection.query(
            """
            INSERT INTO articles (code, name, customer, route, labour, active, version, updated_at)
            VALUES (\(article.code), \(article.name), \(article.customer), \(article.route.map(\.rawValue)),
                    \(try Self.json(article.labourMinutes))::jsonb, \(article.active), \(article.version), \(article.updatedAt))
            """, logger: logger)
    }

    func update(_ article: Article) async throws {
        try await connection.query(
            """
            UPDATE articles SET name = \(article.name), customer = \(article.customer), route = \(article.route.map(\.rawValue)),
                   labour = \(try Self.json(article.labourMinutes))::jsonb, active = \(article.active), version = \(article.version),
                   updated_at = \(article.updatedAt)
            WHERE code = \(article.code)
            """, logger: logger)
    }

    private static func article(_ row: PostgresRow) throws -> Article {
        let (code, name, customer, route, labour, active, version, updated) =
            try row.decode((String, String, String?, [String], String, Bool, Int, Date).self)
        return Article(
            code: code, name: name, customer: customer, route: route.compactMap(Stage.init(rawValue:)),
            labourMinutes: try StitchJSON.decode([StageMinutes].self, from: Array(labour.utf8)), active: active,
            version: version, updatedAt: updated)
    }

    static func json(_ value: some Encodable) throws -> String { String(decoding: try StitchJSON.encode(value), as: UTF8.self) }

    static func binds(_ values: String...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}
