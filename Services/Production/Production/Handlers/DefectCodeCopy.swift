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

    /// The active codes of `stage` among `codes`; codes the copy lacks (an event not seen yet — say the
    /// seeded codes, announced before this service had bound its queue) are asked of Quality once and kept.
    func resolve(_ codes: [String], stage: Stage, _ context: MessageContext) async throws -> Set<String> {
        let found = try await known(codes, stage: stage)
        guard found.count < Set(codes).count else { return found }
        let answer: Page<DefectCode>
        do {
            answer = try await context.askAsService(ListDefectCodes(stage: stage, page: PageRequest(page: 1, perPage: PageRequest.maxPerPage)),
                                                    timeout: .seconds(3))
        } catch let error as ErrorReply where [.unavailable, .timeout].contains(error.code) {
            throw ErrorReply(.unavailable, "Quality did not answer, so the defect codes cannot be checked; try again.")
        }
        for code in answer.items { try await keep(code) }
        return try await known(codes, stage: stage)
    }
}
