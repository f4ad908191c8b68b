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

    public func record(
        entity: String, id: String, action: String, actor: Actor?, correlationId: UUID?,
        before: (some Encodable)?, after: (some Encodable)?
    ) async throws {
        var binds = StatementBinds()
        let sql = try Self.insert(
            entity: entity, id: id, action: action, actor: actor, correlationId: correlationId,
            before: before, after: after, binding: &binds)
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds.bindings), logger: logger)
    }

    /// One audit row, for `insertAll`.
    public struct Row: Encodable, Sendable {
        public internal(set) var entity, entity_id, action, actor_id, actor_name: String
        public internal(set) var before, after, correlation_id: String?

        public init(
            entity: String, id: String, action: String, actor: Actor?, correlationId: UUID?,
            before: (some Encodable)?, after: (some Encodable)?
        ) throws {
            self.entity = entity
            entity_id = id
            self.action = action
            actor_id = actor?.userId ?? "unknown"
            actor_name = actor?.username ?? "unknown"
            self.before = try before.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
            self.after = try after.map { String(decoding: try StitchJSON.encode($0), as: UTF8.self) }
            correlation_id = correlationId?.uuidString
        }
    }

    /// The INSERT of many audit rows as one statement whose text does not depend on how many (a JSON array
    /// of rows in one bind): for a batch's writes (`CombinedWrite.audit(_:)`).
    public static func insertAll(_ rows: [Row], binding binds: inout StatementBinds) throws -> String {
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        return """
            INSERT INTO audit_log (entity, entity_id, action, actor_id, actor_name, before, after, correlation_id)
            SELECT entity, entity_id, action, actor_id, actor_name, before::jsonb, after::jsonb, correlation_id
            FROM jsonb_to_recordset(\(try binds.bind(json))::jsonb) AS r(entity text, entity_id text, action text, actor_id text,
                 actor_name text, before text, after text, correlation_id text)
            """
    }

    /// The INSERT of one audit row, its values bound into `binds`: `record` runs it alone, `CombinedWrite`
    /// as one part of a handler's single statement.
    public static func insert(
        entity: String, id: String, action: String, actor: Actor?, correlationId: UUID?,
        before: (some Encodable)?, after: (some Encodable)?, binding binds: inout StatementBinds
    ) throws -> String {
        let row = try Row(entity: entity, id: id, action: action, actor: actor, correlationId: correlationId, before: before, after: after)
        return """
            INSERT INTO audit_log (entity, entity_id, action, actor_id, actor_name, before, after, correlation_id)
            VALUES (\(try binds.bind(row.entity)), \(try binds.bind(row.entity_id)), \(try binds.bind(row.action)), \(try binds.bind(row.actor_id)),
                    \(try binds.bind(row.actor_name)), \(try binds.bind(row.before))::jsonb, \(try binds.bind(row.after))::jsonb,
                    \(try binds.bind(row.correlation_id)))
            """
    }
}
