import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// `items` and `material_categories`, on the handler's connection.
struct PostgresItemRepository: ItemRepository {
    func item(_ code: String, in context: MessageContext) async throws -> ItemCopy? {
        let rows = try await context.connection.query(
            "SELECT code, kind, unit, standard_cost FROM items WHERE code = \(code.uppercased())", logger: context.logger)
        for try await (code, kind, unit, cost) in rows.decode((String, String, String, Decimal?).self) {
            return ItemCopy(
                code: code, kind: ItemKind(rawValue: kind) ?? .material, unit: UnitOfMeasure(rawValue: unit) ?? .pcs,
                standardCost: cost)
        }
        return nil
    }

    func keep(
        code: String, kind: ItemKind, name: String, unit: UnitOfMeasure, standardCost: Decimal?, active: Bool, version: Int,
        in context: MessageContext
    ) async throws {
        try await context.connection.query(
            """
            INSERT INTO items (code, kind, name, unit, standard_cost, active, version)
            VALUES (\(code.uppercased()), \(kind.rawValue), \(name), \(unit.rawValue), \(standardCost), \(active), \(version))
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, unit = EXCLUDED.unit, standard_cost = EXCLUDED.standard_cost,
                active = EXCLUDED.active, version = EXCLUDED.version
            WHERE items.version < EXCLUDED.version
            """, logger: context.logger)
    }

    func category(of code: String, in context: MessageContext) async throws -> MaterialCategory? {
        let rows = try await context.connection.query(
            "SELECT category FROM material_categories WHERE code = \(code.uppercased())",
            logger: context.logger)
        for try await category in rows.decode(String.self) { return MaterialCategory(rawValue: category) }
        return nil
    }

    func keepCategory(of material: Material, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO material_categories (code, category, version) VALUES (\(material.code.uppercased()), \(material.category.rawValue), \(material.version))
            ON CONFLICT (code) DO UPDATE SET category = EXCLUDED.category, version = EXCLUDED.version
            WHERE material_categories.version < EXCLUDED.version
            """, logger: context.logger)
    }
}
