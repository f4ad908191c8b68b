import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Production's copy of Quality's defect codes (docs/architecture.md, rule 1): daily input's `defects` must name
/// an active code of the SPK's stage. Kept from Quality's events, filled once in full by `DefectCodeFill`; daily
/// input decides on it alone and never waits on Quality while it holds SPK rows locked.
struct DefectCodeCopy {
    static let fillName = "defect_codes"

    let connection: PostgresConnection
    let logger: Logger

    func keep(_ code: DefectCode) async throws {
        try await connection.query(
            """
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

    /// The active codes of `stage` among `codes`. A code the copy lacks before it was ever filled in full may be one
    /// Quality announced before this service listened: 503, to be retried once the fill has run.
    func resolve(_ codes: [String], stage: Stage) async throws -> Set<String> {
        let found = try await known(codes, stage: stage)
        guard found.count < Set(codes).count, try await !isFilled() else { return found }
        throw ErrorReply(.unavailable, "Production has not yet received Quality's defect codes, so they cannot be checked; try again.")
    }

    func isFilled() async throws -> Bool {
        try await connection.query("SELECT 1 FROM copy_fills WHERE name = \(Self.fillName)", logger: logger)
            .decode(Int.self).reduce(false) { _, _ in true }
    }

    func markFilled(at now: Date) async throws {
        try await connection.query(
            """
            INSERT INTO copy_fills (name, filled_at) VALUES (\(Self.fillName), \(now)) ON CONFLICT (name) DO NOTHING
            """, logger: logger)
    }
}
