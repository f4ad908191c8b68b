import Contracts
import PostgresNIO
import ServiceKit

/// `material_copies`, on the handler's connection.
struct PostgresMaterialCopyRepository: MaterialCopyRepository {
    func unit(of code: String, in context: MessageContext) async throws -> UnitOfMeasure? {
        let rows = try await context.connection.query(
            "SELECT unit FROM material_copies WHERE code = \(code.uppercased())",
            logger: context.logger)
        for try await unit in rows.decode(String.self) { return UnitOfMeasure(rawValue: unit) }
        return nil
    }

    func keep(_ material: Material, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO material_copies (code, unit, version) VALUES (\(material.code.uppercased()), \(material.unit.rawValue), \(material.version))
            ON CONFLICT (code) DO UPDATE SET unit = EXCLUDED.unit, version = EXCLUDED.version
            WHERE material_copies.version < EXCLUDED.version
            """, logger: context.logger)
    }
}
