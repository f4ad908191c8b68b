import Contracts
import Foundation
import Logging
import PostgresNIO

/// Appends to `audit_log` in the caller's transaction: who did what to which record, before → after.
struct AuditLog {
    let connection: PostgresConnection
    let logger: Logger

    func record(entity: String, id: String, action: String, actor: Actor?, correlationId: UUID,
                before: (some Encodable)?, after: (some Encodable)?) async throws {
        let beforeJSON = try before.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
        let afterJSON = try after.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO audit_log (entity, entity_id, action, actor_id, actor_name, before, after, correlation_id)
            VALUES (\(entity), \(id), \(action), \(actor?.userId ?? "unknown"), \(actor?.username ?? "unknown"),
                    \(beforeJSON)::jsonb, \(afterJSON)::jsonb, \(correlationId.uuidString))
            """, logger: logger)
    }
}
