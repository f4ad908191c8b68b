import Contracts
import Foundation

/// Who may ask for what, and how a request moves through its levels. Pure.
enum ApprovalRules {
    static let quantityRequesters: [Role] = [.productionSupervisor, .productionManager, .ppicManager]
    static let debtRequesters: [Role] = [.productionSupervisor, .productionManager]

    static func validateQuantityChange(_ command: RequestQuantityChange, spk: SPKFacts, actor: Actor?) throws(ErrorReply) -> Actor {
        guard let actor, actor.hasAny(quantityRequesters) else {
            throw .forbidden("Asking for a quantity change needs one of the roles \(quantityRequesters.map(\.rawValue).joined(separator: ", ")).")
        }
        var problems = command.inputProblems
        if command.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "reason", message: "is required"))
        }
        if !problems.isEmpty { throw .validation(problems) }
        if spk.status == SPKStatus.cancelled.rawValue || spk.status == SPKStatus.closed.rawValue {
            throw .conflict("\(spk.code) is \(spk.status); its target no longer changes.")
        }
        if command.newQty == spk.targetQty {
            throw .rule(
                "The new quantity equals the current target.", details: [.init(field: "new_qty", message: "must differ from \(spk.targetQty)")])
        }
        if command.newQty < spk.producedQty {
            throw .rule(
                "\(spk.producedQty) are already produced.", details: [.init(field: "new_qty", message: "must be at least \(spk.producedQty)")])
        }
        return actor
    }

    static func validateMaterialDebt(_ command: RequestMaterialDebt, actor: Actor?) throws(ErrorReply) -> Actor {
        guard let actor, actor.hasAny(debtRequesters) else {
            throw .forbidden("Asking for material debt needs one of the roles \(debtRequesters.map(\.rawValue).joined(separator: ", ")).")
        }
        var problems = command.inputProblems
        if command.materialCode.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "material_code", message: "is required"))
        }
        if command.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "reason", message: "is required"))
        }
        if !problems.isEmpty { throw .validation(problems) }
        return actor
    }

    /// What the warehouse will be asked to issue must be possible there: an SPK still open, an amount
    /// the material's unit allows (no 2.5 PCS). 409 or 422 naming the field, before anyone approves it.
    static func checkMaterialDebt(_ command: RequestMaterialDebt, spk: SPKFacts, unit: UnitOfMeasure) throws(ErrorReply) {
        if spk.status == SPKStatus.cancelled.rawValue || spk.status == SPKStatus.closed.rawValue {
            throw .conflict("\(spk.code) is \(spk.status); no material is issued to it.")
        }
        let qty = Decimal(string: String(command.qty)) ?? Decimal(command.qty)
        if let problem = DecimalRules.checkQuantity(qty, "qty", unit: unit) {
            throw .rule("The material is counted in \(unit.rawValue).", details: [problem])
        }
    }

    /// The request after `actor` decided its current level.
    static func decide(_ request: ApprovalRequest, approved: Bool, notes: String?, actor: Actor?, now: Date) throws(ErrorReply) -> ApprovalRequest {
        guard let actor else { throw .forbidden("Deciding needs a signed-in user.") }
        guard request.status == .pending, let index = request.levels.firstIndex(where: { $0.level == request.currentLevel }),
            request.levels[index].status == .pending
        else { throw .conflict("\(request.code) is already \(request.status.rawValue); its level was decided.") }
        let level = request.levels[index]
        guard actor.userId != request.requestedById else { throw .forbidden("Nobody approves their own request.") }
        guard actor.roles.contains(level.role) else {
            throw .forbidden("Level \(level.level) of \(request.code) is decided by \(level.role).")
        }
        let trimmed = notes?.trimmingCharacters(in: .whitespacesAndNewlines)
        if !approved && (trimmed ?? "").isEmpty {
            throw .validation([.init(field: "notes", message: "a rejection needs notes saying why")])
        }
        var next = request
        next.levels[index].status = approved ? .approved : .rejected
        next.levels[index].decidedBy = actor.username
        next.levels[index].decidedAt = now
        next.levels[index].notes = trimmed
        next.updatedAt = now
        if !approved {
            next.status = .rejected
        } else if index + 1 < next.levels.count {
            next.currentLevel = next.levels[index + 1].level
        } else {
            next.status = .approved
        }
        return next
    }

    static func cancel(_ request: ApprovalRequest, actor: Actor?, now: Date) throws(ErrorReply) -> ApprovalRequest {
        guard let actor, actor.userId == request.requestedById else { throw .forbidden("Only the requester may cancel a request.") }
        guard request.status == .pending else { throw .conflict("\(request.code) is already \(request.status.rawValue).") }
        var next = request
        next.status = .cancelled
        next.updatedAt = now
        return next
    }
}
