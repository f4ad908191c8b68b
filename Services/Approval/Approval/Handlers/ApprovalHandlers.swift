import Contracts
import Foundation
import Messaging
import ServiceKit

/// Requests and decisions; a request is checked against the SPK as Production has it now.
struct ApprovalHandlers {
    let timeZone: TimeZone
    let approvals: any ApprovalRepository
    let materials: any MaterialCopyRepository

    init(timeZone: TimeZone, repositories: ApprovalRepositories) {
        self.timeZone = timeZone
        approvals = repositories.approvals
        materials = repositories.materials
    }

    func requestQuantityChange(_ command: RequestQuantityChange, _ context: MessageContext) async throws -> ApprovalRequest {
        let spk = try await currentSPK(command.spk, context)
        let actor = try ApprovalRules.validateQuantityChange(command, spk: spk, actor: context.actor)
        if try await approvals.hasOpenQuantityChange(spk: spk.id, in: context) { throw ErrorReply.openQuantityChange(spk.code) }
        let change = QuantityChange(originalQty: spk.originalQty, oldQty: spk.targetQty, newQty: command.newQty)
        let levels = ApprovalChain.levels(
            try await approvals.chain(.quantityChange, in: context),
            facts: ["change_percent": ApprovalChain.changePercent(change)])
        let request = try await submit(
            kind: .quantityChange, prefix: "MOD", spk: spk, actor: actor, reason: command.reason, levels: levels,
            change: "\(change.oldQty)→\(change.newQty)", quantity: change, debt: nil, context: context)
        return request
    }

    func requestMaterialDebt(_ command: RequestMaterialDebt, _ context: MessageContext) async throws -> ApprovalRequest {
        let actor = try ApprovalRules.validateMaterialDebt(command, actor: context.actor)
        let spk: SPKFacts
        do {
            spk = try await currentSPK(command.spkId, context)
        } catch let error as ErrorReply where error.code == .notFound {
            throw ErrorReply.rule(error.message, details: [.init(field: "spk_id", message: "unknown SPK \(command.spkId)")])
        }
        let debt = MaterialDebt(materialCode: command.materialCode.trimmingCharacters(in: .whitespaces).uppercased(), qty: command.qty)
        // Refused now, not after two approvals, when the warehouse could never issue it.
        guard
            let unit = try await context.copyOrAsk(
                { try await materials.unit(of: debt.materialCode, in: context) },
                ask: GetMaterial(code: debt.materialCode),
                keep: { try await materials.keep($0, in: context) })
        else { throw ErrorReply.unknown("material", debt.materialCode, owner: .bomfinance, field: "material_code") }
        try ApprovalRules.checkMaterialDebt(command, spk: spk, unit: unit)
        let quantity = debt.qty.rounded() == debt.qty ? String(Int(debt.qty)) : String(debt.qty)
        return try await submit(
            kind: .materialDebt, prefix: "MD", spk: spk, actor: actor, reason: command.reason,
            levels: ApprovalChain.levels(try await approvals.chain(.materialDebt, in: context), facts: [:]),
            change: "\(debt.materialCode) \(quantity)", quantity: nil, debt: debt, context: context)
    }

    func decide(_ command: DecideApproval, _ context: MessageContext) async throws -> ApprovalRequest {
        let request = try await approvals.require(command.id, lock: true, in: context)
        let decided = try ApprovalRules.decide(
            request, approved: command.approved, notes: command.notes, actor: context.actor,
            now: context.now)
        try await approvals.update(decided, in: context)
        try await audit(
            command.approved ? "approve level \(request.currentLevel)" : "reject level \(request.currentLevel)",
            before: request, after: decided, context)
        switch decided.status {
        case .approved: try await context.publish(ApprovalApproved(request: decided))
        case .rejected: try await context.publish(ApprovalRejected(request: decided))
        default: break  // on to the next level
        }
        return decided
    }

    func cancel(_ command: CancelApproval, _ context: MessageContext) async throws -> ApprovalRequest {
        let request = try await approvals.require(command.id, lock: true, in: context)
        let cancelled = try ApprovalRules.cancel(request, actor: context.actor, now: context.now)
        try await approvals.update(cancelled, in: context)
        try await audit("cancel", before: request, after: cancelled, context)
        try await context.publish(ApprovalCancelled(request: cancelled))
        return cancelled
    }

    func pending(_ query: ListPendingApprovals, _ context: MessageContext) async throws -> Page<ApprovalRequest> {
        try query.page.validate()
        guard let actor = context.actor else { throw ErrorReply(.unauthorized, "Sign in first.") }
        return try await approvals.pending(for: actor.roles, excluding: actor.userId, page: query.page, in: context)
    }

    func get(_ query: GetApproval, _ context: MessageContext) async throws -> ApprovalRequest {
        try await approvals.require(query.id, in: context)
    }

    func materialDebts(_ query: ListMaterialDebts, _ context: MessageContext) async throws -> Page<ApprovalRequest> {
        try query.page.validate()
        return try await approvals.list(kind: .materialDebt, status: query.status, page: query.page, in: context)
    }

    /// Records what happened when an approved change reached its SPK.
    func recordOutcome(
        approval: UUID, onlyIf applies: (ApprovalRequest) -> Bool = { _ in true }, outcome: String,
        _ context: MessageContext
    ) async throws {
        guard var request = try await approvals.find(approval.uuidString, lock: true, in: context), applies(request) else { return }
        request.outcome = outcome
        try await approvals.update(request, in: context)
    }

    /// The warehouse paid (part of) an approved material debt back: PARTIALLY_SETTLED, then SETTLED
    /// (a late partial after the full settlement changes nothing).
    func recordSettlement(_ event: MaterialDebtSettled, _ context: MessageContext) async throws {
        guard var request = try await approvals.find(event.approvalId.uuidString, lock: true, in: context), request.kind == .materialDebt,
            request.status == .approved || request.status == .partiallySettled
        else { return }
        request.status = event.fullySettled ? .settled : .partiallySettled
        request.outcome = event.fullySettled ? "SETTLED by the warehouse" : "PARTIALLY_SETTLED: \(event.openQty) still owed"
        request.updatedAt = event.occurredAt
        try await approvals.update(request, in: context)
    }

    /// The warehouse issued an approved debt: the request says so (a settlement that came first is kept).
    func recordIssue(_ event: MaterialDebtOpened, _ context: MessageContext) async throws {
        let debt = event.debt
        try await recordOutcome(
            approval: debt.approvalId, onlyIf: { $0.status == .approved && $0.outcome == nil },
            outcome: "ISSUED: \(debt.qty) \(debt.unit.rawValue) \(debt.materialCode) from \(debt.location)", context)
    }

    /// The warehouse could not issue an approved debt: ISSUE_FAILED with its reason, for the requester and the
    /// approvers to see (a new request, once what was wrong is put right, is the way on).
    func recordIssueFailure(_ event: MaterialDebtIssueFailed, _ context: MessageContext) async throws {
        guard let before = try await approvals.find(event.approvalId.uuidString, lock: true, in: context), before.kind == .materialDebt,
            before.status == .approved
        else { return }
        var request = before
        request.status = .issueFailed
        request.outcome = "ISSUE_FAILED: \(event.reason)"
        request.updatedAt = event.occurredAt
        try await approvals.update(request, in: context)
        try await audit("issue failed", before: before, after: request, context)
    }

    /// The SPK as Production has it at this moment: a request made a second after an input is
    /// judged against that input. Production checks again when it applies an approved change.
    private func currentSPK(_ reference: String, _ context: MessageContext) async throws -> SPKFacts {
        SPKFacts(try await context.askAsService(GetSPK(spk: reference)))
    }

    private func submit(
        kind: ApprovalKind, prefix: String, spk: SPKFacts, actor: Actor, reason: String, levels: [ApprovalLevel],
        change: String, quantity: QuantityChange?, debt: MaterialDebt?,
        context: MessageContext
    ) async throws -> ApprovalRequest {
        let at = context.now
        let request = ApprovalRequest(
            id: UUID(), code: try await approvals.nextCode(prefix: prefix, day: LocalDate.of(at, in: timeZone), in: context), kind: kind,
            status: .pending, spkId: spk.id, spkCode: spk.code, requestedBy: actor.username, requestedById: actor.userId,
            requestedAt: at, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines), currentLevel: 1, levels: levels,
            change: change, quantity: quantity, materialDebt: debt, outcome: nil, updatedAt: at)
        try await approvals.insert(request, in: context)
        try await audit("submit", before: nil, after: request, context)
        try await context.publish(ApprovalSubmitted(request: request))
        return request
    }

    private func audit(_ action: String, before: ApprovalRequest?, after: ApprovalRequest, _ context: MessageContext) async throws {
        try await context.audit("approval_request", after.code, action, before: before, after: after)
    }
}
