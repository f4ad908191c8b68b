import Contracts
import Foundation
import Logging
import Messaging
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
        var binds = StatementBinds()
        let sql = try Self.insert(entity: entity, id: id, action: action, actor: actor, correlationId: correlationId,
                                  before: before, after: after, binding: &binds)
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds.bindings), logger: logger)
    }

    /// The INSERT of one audit row, its values bound into `binds`: `record` runs it alone, `CombinedWrite`
    /// as one part of a handler's single statement.
    public static func insert(entity: String, id: String, action: String, actor: Actor?, correlationId: UUID?,
                              before: (some Encodable)?, after: (some Encodable)?, binding binds: inout StatementBinds) throws -> String {
        let beforeJSON = try before.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
        let afterJSON = try after.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
        return """
            INSERT INTO audit_log (entity, entity_id, action, actor_id, actor_name, before, after, correlation_id)
            VALUES (\(try binds.bind(entity)), \(try binds.bind(id)), \(try binds.bind(action)), \(try binds.bind(actor?.userId ?? "unknown")),
                    \(try binds.bind(actor?.username ?? "unknown")), \(try binds.bind(beforeJSON))::jsonb, \(try binds.bind(afterJSON))::jsonb,
                    \(try binds.bind(correlationId?.uuidString)))
            """
    }
}
