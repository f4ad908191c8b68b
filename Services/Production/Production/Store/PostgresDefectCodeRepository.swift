import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// The copy of Quality's defect codes in schema `production` (`defect_codes`, its fill in `copy_fills`).
struct PostgresDefectCodeRepository: DefectCodeRepository {
    static let fillName = "defect_codes"

    func keep(_ code: DefectCode, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO defect_codes (code, stage, active, version)
            VALUES (\(code.code), \(code.stage.rawValue), \(code.active), \(code.version))
            ON CONFLICT (code) DO UPDATE SET stage = EXCLUDED.stage, active = EXCLUDED.active, version = EXCLUDED.version
            WHERE defect_codes.version < EXCLUDED.version
            """, logger: context.logger)
    }

    func known(_ codes: [String], stage: Stage, in context: MessageContext) async throws -> Set<String> {
        guard !codes.isEmpty else { return [] }
        var found: Set<String> = []
        let rows = try await context.connection.query(
            "SELECT code FROM defect_codes WHERE code = ANY(\(codes)) AND stage = \(stage.rawValue) AND active", logger: context.logger)
        for try await code in rows.decode(String.self) { found.insert(code) }
        return found
    }

    func isFilled(in context: MessageContext) async throws -> Bool {
        try await context.connection.query("SELECT 1 FROM copy_fills WHERE name = \(Self.fillName)", logger: context.logger)
            .decode(Int.self).reduce(false) { _, _ in true }
    }

    func markFilled(at now: Date, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO copy_fills (name, filled_at) VALUES (\(Self.fillName), \(now)) ON CONFLICT (name) DO NOTHING
            """, logger: context.logger)
    }
}
