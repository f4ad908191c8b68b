import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What a request is checked against: the SPK as Production has it at submission. Approval keeps
/// no copy (that cost a transaction per daily input and lagged behind the latest input).
struct SPKFacts: Sendable {
    var id: UUID
    var code: String
    var originalQty: Int
    var targetQty: Int
    var producedQty: Int
    var status: String

    init(id: UUID, code: String, originalQty: Int, targetQty: Int, producedQty: Int, status: String) {
        self.id = id
        self.code = code
        self.originalQty = originalQty
        self.targetQty = targetQty
        self.producedQty = producedQty
        self.status = status
    }

    init(_ spk: SPK) {
        self.init(id: spk.id, code: spk.code, originalQty: spk.originalQty, targetQty: spk.targetQty,
                  producedQty: spk.producedQty, status: spk.status.rawValue)
    }
}

/// Approval's tables, on the handler's connection (inside its transaction).
struct ApprovalStore {
    let connection: PostgresConnection
    let logger: Logger

    func chain(_ kind: ApprovalKind) async throws -> [ChainLevel] {
        let rows = try await connection.query(
            "SELECT role, condition FROM approval_chains WHERE kind = \(kind.rawValue) ORDER BY level", logger: logger)
        var levels: [ChainLevel] = []
        for try await (role, condition) in rows.decode((String, String?).self) { levels.append(ChainLevel(role: role, condition: condition)) }
        return levels
    }

    func nextCode(prefix: String, day: LocalDate) async throws -> String {
        DayCounter.code(prefix: prefix, day: day,
                        sequence: try await DayCounter.next(in: "approval_code_counters", prefix: prefix, day: day, on: connection, logger: logger))
    }

    func insert(_ request: ApprovalRequest) async throws {
        try await connection.query("""
            INSERT INTO approval_requests (id, code, kind, status, spk_id, requested_by_id, requested_at, waiting_role, document)
            VALUES (\(request.id), \(request.code), \(request.kind.rawValue), \(request.status.rawValue), \(request.spkId),
                    \(request.requestedById), \(request.requestedAt), \(Self.waitingRole(request)), \(try Self.json(request))::jsonb)
            """, logger: logger)
    }

    func update(_ request: ApprovalRequest) async throws {
        try await connection.query("""
            UPDATE approval_requests SET status = \(request.status.rawValue), waiting_role = \(Self.waitingRole(request)),
                   document = \(try Self.json(request))::jsonb
            WHERE id = \(request.id)
            """, logger: logger)
    }

    /// By id or code; `lock` serialises deciders on the row (two approvers at once: one wins, one gets 409).
    func find(_ reference: String, lock: Bool = false) async throws -> ApprovalRequest? {
        try await connection.document(ApprovalRequest.self, in: "approval_requests", reference: reference, lock: lock, logger: logger)
    }

    func require(_ reference: String, lock: Bool = false) async throws -> ApprovalRequest {
        guard let request = try await find(reference, lock: lock) else { throw ErrorReply.notFound("Approval request \(reference)") }
        return request
    }

    /// Pending requests whose current level one of `roles` decides, not asked by `user`, oldest first.
    func pending(for roles: [String], excluding user: String, page: PageRequest) async throws -> Page<ApprovalRequest> {
        var total = 0
        for try await count in try await connection.query("""
            SELECT count(*)::bigint FROM approval_requests
            WHERE status = 'PENDING' AND waiting_role = ANY(\(roles)) AND requested_by_id <> \(user)
            """, logger: logger).decode(Int.self) { total = count }
        let rows = try await connection.query("""
            SELECT document::text FROM approval_requests
            WHERE status = 'PENDING' AND waiting_role = ANY(\(roles)) AND requested_by_id <> \(user)
            ORDER BY requested_at, code LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        var items: [ApprovalRequest] = []
        for try await document in rows.decode(String.self) { items.append(try Self.decode(document)) }
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    func list(kind: ApprovalKind, status: ApprovalStatus?, page: PageRequest) async throws -> Page<ApprovalRequest> {
        let statuses = status.map { [$0.rawValue] } ?? ApprovalStatus.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await connection.query("""
            SELECT count(*)::bigint FROM approval_requests WHERE kind = \(kind.rawValue) AND status = ANY(\(statuses))
            """, logger: logger).decode(Int.self) { total = count }
        let rows = try await connection.query("""
            SELECT document::text FROM approval_requests WHERE kind = \(kind.rawValue) AND status = ANY(\(statuses))
            ORDER BY requested_at DESC, code LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger)
        var items: [ApprovalRequest] = []
        for try await document in rows.decode(String.self) { items.append(try Self.decode(document)) }
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    func hasOpenQuantityChange(spk: UUID) async throws -> Bool {
        for try await _ in try await connection.query("""
            SELECT 1 FROM approval_requests WHERE spk_id = \(spk) AND status = 'PENDING' AND kind = 'QUANTITY_CHANGE'
            """, logger: logger) { return true }
        return false
    }

    private static func waitingRole(_ request: ApprovalRequest) -> String? {
        guard request.status == .pending else { return nil }
        return request.levels.first { $0.level == request.currentLevel }?.role
    }

    private static func json(_ request: ApprovalRequest) throws -> String {
        String(decoding: try StitchJSON.encode(request), as: UTF8.self)
    }

    private static func decode(_ document: String) throws -> ApprovalRequest {
        try StitchJSON.decode(ApprovalRequest.self, from: Array(document.utf8))
    }
}
