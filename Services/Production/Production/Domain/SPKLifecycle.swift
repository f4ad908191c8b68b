import Contracts
import Foundation

/// The life of an SPK beyond its input: hold, resume, cancel, close — only the allowed moves — and
/// voiding a wrong daily entry. Pure.
enum SPKLifecycle {
    static func apply(_ action: SPKAction, to spk: SPK, actor: Actor?, reason: String, now: Date) throws(ErrorReply) -> SPK {
        let allowed = action == .hold || action == .resume ? ProductionPermissions.holdOrResume : ProductionPermissions.cancelOrClose
        guard let actor, actor.hasAny(allowed) else {
            throw .forbidden("To \(action.rawValue.lowercased()) an SPK needs one of the roles \(allowed.map(\.rawValue).joined(separator: ", ")).")
        }
        try requireReach(actor, spk)
        try requireReason(reason)
        let next: SPKStatus
        switch (action, spk.status) {
        case (.hold, .notStarted), (.hold, .inProgress): next = .onHold
        case (.resume, .onHold): next = .running(produced: spk.producedQty, target: spk.targetQty, started: spk.producedQty > 0)
        case (.cancel, .notStarted), (.cancel, .inProgress), (.cancel, .onHold): next = .cancelled
        case (.close, .inProgress), (.close, .onHold): next = .closed
        default:
            throw .conflict("\(spk.code) is \(spk.status.rawValue); it cannot be \(pastTense(action)).")
        }
        var after = spk
        after.status = next
        after.updatedAt = now
        after.version += 1
        return after
    }

    /// The SPK once an entry of `qty` good and `rejects` rejected is reversed. The next stage of its
    /// order must not have used more than is left.
    static func void(
        qty: Int, rejects: Int, from spk: SPK, actor: Actor?, reason: String, now: Date,
        nextStage: SPK? = nil
    ) throws(ErrorReply) -> SPK {
        guard let actor, actor.hasAny(ProductionPermissions.voidEntry) else {
            throw .forbidden("Voiding an entry needs one of the roles \(ProductionPermissions.voidEntry.map(\.rawValue).joined(separator: ", ")).")
        }
        try requireReach(actor, spk)
        try requireReason(reason)
        guard spk.status != .cancelled && spk.status != .closed else {
            throw .conflict("\(spk.code) is \(spk.status.rawValue); its entries can no longer be voided.")
        }
        var after = spk
        after.producedQty = max(0, spk.producedQty - qty)
        if let next = nextStage, next.producedQty > after.producedQty {
            throw .rule(
                "\(next.stage.rawValue) has already reported \(next.producedQty) of what \(spk.stage.rawValue) passed on; voiding this entry would leave \(spk.stage.rawValue) at \(after.producedQty). Correct \(next.stage.rawValue) first."
            )
        }
        after.rejectQty = max(0, spk.rejectQty - rejects)
        if spk.status != .onHold {
            after.status = .running(produced: after.producedQty, target: spk.targetQty, started: after.producedQty > 0)
        }
        after.progress = progressPercent(produced: after.producedQty, target: after.targetQty)
        after.updatedAt = now
        after.version += 1
        return after
    }

    /// Supervisors act on their own department's SPKs only; managers on every department's.
    private static func requireReach(_ actor: Actor, _ spk: SPK) throws(ErrorReply) {
        guard ProductionPermissions.reaches(actor, spk.department) else {
            throw .forbidden("\(spk.code) belongs to \(spk.department.rawValue); you act on \(actor.department ?? "no department")'s SPKs only.")
        }
    }

    private static func requireReason(_ reason: String) throws(ErrorReply) {
        if let problem = InputRules.requiredText(reason, field: "reason") { throw .validation([problem]) }
    }

    private static func pastTense(_ action: SPKAction) -> String {
        switch action {
        case .hold: "held"
        case .resume: "resumed"
        case .cancel: "cancelled"
        case .close: "closed"
        }
    }
}
