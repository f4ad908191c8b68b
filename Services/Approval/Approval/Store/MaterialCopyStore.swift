import Contracts
import Logging
import PostgresNIO
import ServiceKit

/// Approval's copy of BOMFinance's materials: the unit a debt is counted in. Newest version wins.
struct MaterialCopyStore {
    let connection: PostgresConnection
    let logger: Logger

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    init(_ context: MessageContext) { self.init(connection: context.connection, logger: context.logger) }

    func unit(of code: String) async throws -> UnitOfMeasure? {
        let rows = try await connection.query("SELECT unit FROM material_copies WHERE code = \(code.uppercased())", logger: logger)
        for try await unit in rows.decode(String.self) { return UnitOfMeasure(rawValue: unit) }
        return nil
    }

    func keep(_ material: Material) async throws {
        try await connection.query("""
            INSERT INTO material_copies (code, unit, version) VALUES (\(material.code.uppercased()), \(material.unit.rawValue), \(material.version))
            ON CONFLICT (code) DO UPDATE SET unit = EXCLUDED.unit, version = EXCLUDED.version
            WHERE material_copies.version < EXCLUDED.version
            """, logger: logger)
    }
}
