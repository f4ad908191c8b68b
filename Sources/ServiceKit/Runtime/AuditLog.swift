import Contracts
import Foundation
import Logging
import PostgresNIO

/// Appends to the service's `audit_log` (a platform table) in the caller's transaction: who did what
/// to which record, when, before → after.
public struct AuditLog: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public func record(entity: String, id: String, action: String, actor: Actor?, correlationId: UUID?,
                before: (some Encodable)?, after: (some Encodable)?) async throws {
        let beforeJSON = try before.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
        let afterJSON = try after.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO audit_log (entity, entity_id, action, actor_id, actor_name, before, after, correlation_id)
            VALUES (\(entity), \(id), \(action), \(actor?.userId ?? "unknown"), \(actor?.username ?? "unknown"),
                    \(beforeJSON)::jsonb, \(afterJSON)::jsonb, \(correlationId?.uuidString))
            """, logger: logger)
    }
}
