import Contracts
import Foundation
import ServiceKit

/// Approval requests and the chains they follow, in the handler's unit of work (`context`): PostgreSQL in a
/// running service (`PostgresApprovalRepository`), memory in a unit test (`InMemoryApprovalRepository`).
protocol ApprovalRepository: Sendable {
    /// The configured levels of `kind`'s chain, in order.
    func chain(_ kind: ApprovalKind, in context: MessageContext) async throws -> [ChainLevel]
    /// The next `PREFIX-YYYYMMDD-NNNN` of `day`, never drawn twice.
    func nextCode(prefix: String, day: LocalDate, in context: MessageContext) async throws -> String
    /// 409 when the SPK already has a quantity change waiting (one open change per SPK).
    func insert(_ request: ApprovalRequest, in context: MessageContext) async throws
    func update(_ request: ApprovalRequest, in context: MessageContext) async throws
    /// By id or code; `lock` serialises deciders on the request (two approvers at once: one wins, one gets 409).
    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> ApprovalRequest?
    /// Pending requests whose current level one of `roles` decides, not asked by `user`, oldest first.
    func pending(for roles: [String], excluding user: String, page: PageRequest, in context: MessageContext) async throws
        -> Page<ApprovalRequest>
    /// Requests of `kind` (of `status`, or any), newest first.
    func list(kind: ApprovalKind, status: ApprovalStatus?, page: PageRequest, in context: MessageContext) async throws
        -> Page<ApprovalRequest>
    func hasOpenQuantityChange(spk: UUID, in context: MessageContext) async throws -> Bool
}

extension ApprovalRepository {
    func find(_ reference: String, in context: MessageContext) async throws -> ApprovalRequest? {
        try await find(reference, lock: false, in: context)
    }

    /// 404 when no request has that id or code.
    func require(_ reference: String, lock: Bool = false, in context: MessageContext) async throws -> ApprovalRequest {
        guard let request = try await find(reference, lock: lock, in: context) else { throw ErrorReply.notFound("Approval request \(reference)") }
        return request
    }
}

extension ApprovalRequest {
    /// The role the request waits for; nil once it is no longer pending.
    var waitingRole: String? {
        guard status == .pending else { return nil }
        return levels.first { $0.level == currentLevel }?.role
    }
}

extension ErrorReply {
    /// The SPK has a quantity change waiting already.
    static func openQuantityChange(_ spkCode: String) -> ErrorReply {
        .conflict("\(spkCode) already has a quantity change waiting for approval.")
    }
}
