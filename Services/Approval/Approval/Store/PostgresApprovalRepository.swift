import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Approval's tables, on the handler's connection (inside its transaction).
struct PostgresApprovalRepository: ApprovalRepository {
    func chain(_ kind: ApprovalKind, in context: MessageContext) async throws -> [ChainLevel] {
        let rows = try await context.connection.query(
            "SELECT role, condition FROM approval_chains WHERE kind = \(kind.rawValue) ORDER BY level", logger: context.logger)
        var levels: [ChainLevel] = []
        for try await (role, condition) in rows.decode((String, String?).self) { levels.append(ChainLevel(role: role, condition: condition)) }
        return levels
    }

    func nextCode(prefix: String, day: LocalDate, in context: MessageContext) async throws -> String {
        DayCounter.code(
            prefix: prefix, day: day,
            sequence: try await DayCounter.next(
                in: "approval_code_counters", prefix: prefix, day: day,
                on: context.connection, logger: context.logger))
    }

    func insert(_ request: ApprovalRequest, in context: MessageContext) async throws {
        do {
            try await context.connection.query(
                """
                INSERT INTO approval_requests (id, code, kind, status, spk_id, requested_by_id, requested_at, waiting_role, document)
                VALUES (\(request.id), \(request.code), \(request.kind.rawValue), \(request.status.rawValue), \(request.spkId),
                        \(request.requestedById), \(request.requestedAt), \(request.waitingRole), \(try Self.json(request))::jsonb)
                """, logger: context.logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw ErrorReply.openQuantityChange(request.spkCode)
        }
    }

    func update(_ request: ApprovalRequest, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE approval_requests SET status = \(request.status.rawValue), waiting_role = \(request.waitingRole),
                   document = \(try Self.json(request))::jsonb
            WHERE id = \(request.id)
            """, logger: context.logger)
    }

    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> ApprovalRequest? {
        try await context.connection.document(
            ApprovalRequest.self, in: "approval_requests", reference: reference, lock: lock,
            logger: context.logger)
    }

    func pending(for roles: [String], excluding user: String, page: PageRequest, in context: MessageContext) async throws
        -> Page<ApprovalRequest>
    {
        let (connection, logger) = (context.connection, context.logger)
        var total = 0
        for try await count in try await connection.query(
            """
            SELECT count(*)::bigint FROM approval_requests
            WHERE status = 'PENDING' AND waiting_role = ANY(\(roles)) AND requested_by_id <> \(user)
            """, logger: logger
        ).decode(Int.self) { total = count }
        let rows = try await connection.query(
            """
            SELECT document::text FROM approval_requests
            WHERE status = 'PENDING' AND waiting_role = ANY(\(roles)) AND requested_by_id <> \(user)
            ORDER BY requested_at, code LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        var items: [ApprovalRequest] = []
        for try await document in rows.decode(String.self) { items.append(try Self.decode(document)) }
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    func list(kind: ApprovalKind, status: ApprovalStatus?, page: PageRequest, in context: MessageContext) async throws
        -> Page<ApprovalRequest>
    {
        let (connection, logger) = (context.connection, context.logger)
        let statuses = status.map { [$0.rawValue] } ?? ApprovalStatus.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await connection.query(
            """
            SELECT count(*)::bigint FROM approval_requests WHERE kind = \(kind.rawValue) AND status = ANY(\(statuses))
            """, logger: logger
        ).decode(Int.self) { total = count }
        let rows = try await connection.query(
            """
            SELECT document::text FROM approval_requests WHERE kind = \(kind.rawValue) AND status = ANY(\(statuses))
            ORDER BY requested_at DESC, code LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        var items: [ApprovalRequest] = []
        for try await document in rows.decode(String.self) { items.append(try Self.decode(document)) }
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    func hasOpenQuantityChange(spk: UUID, in context: MessageContext) async throws -> Bool {
        for try await _ in try await context.connection.query(
            """
            SELECT 1 FROM approval_requests WHERE spk_id = \(spk) AND status = 'PENDING' AND kind = 'QUANTITY_CHANGE'
            """, logger: context.logger)
        { return true }
        return false
    }

    private static func json(_ request: ApprovalRequest) throws -> String {
        String(decoding: try StitchJSON.encode(request), as: UTF8.self)
    }

    private static func decode(_ document: String) throws -> ApprovalRequest {
        try StitchJSON.decode(ApprovalRequest.self, from: Array(document.utf8))
    }
}
