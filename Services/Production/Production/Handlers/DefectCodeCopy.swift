import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Production's copy of Quality's defect codes (DESIGN rule 1): daily input's `defects` must name an
/// active code of the SPK's stage.
struct DefectCodeCopy {
    let connection: PostgresConnection
    let logger: Logger

    func keep(_ code: DefectCode) async throws {
        try await connection.query("""
            INSERT INTO defect_codes (code, stage, active, version)
            VALUES (\(code.code), \(code.stage.rawValue), \(code.active), \(code.version))
            ON CONFLICT (code) DO UPDATE SET stage = EXCLUDED.stage, active = EXCLUDED.active, version = EXCLUDED.version
            WHERE defect_codes.version < EXCLUDED.version
            """, logger: logger)
    }

    /// The active codes of `stage` among `codes`.
    func known(_ codes: [String], stage: Stage) async throws -> Set<String> {
        guard !codes.isEmpty else { return [] }
        var found: Set<String> = []
        let rows = try await connection.query(
            "SELECT code FROM defect_codes WHERE code = ANY(\(codes)) AND stage = \(stage.rawValue) AND active", logger: logger)
        for try await code in rows.decode(String.self) { found.insert(code) }
        return found
    }
}
