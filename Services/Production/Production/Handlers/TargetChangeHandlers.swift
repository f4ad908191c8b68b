import Contracts
import Foundation
import Messaging
import ServiceKit

/// An approved quantity change lands on its SPK: the target moves and the status follows, or — if
/// more was produced meanwhile than the new target allows — nothing changes and that is published.
struct TargetChangeHandlers {
    let spks: any SPKRepository

    func approved(_ event: ApprovalApproved, _ context: MessageContext) async throws {
        let request = event.request
        guard request.kind == .quantityChange, let change = request.quantity else { return }
        guard let before = try await spks.find(request.spkId.uuidString, lock: true, in: context) else {
            try await context.publish(SPKTargetChangeRejected(spkId: request.spkId, approvalId: request.id, reason: "the SPK does not exist"))
            return
        }
        let approvedBy = request.levels.last?.decidedBy ?? "unknown"
        guard let after = TargetChangeRules.apply(newTarget: change.newQty, to: before, now: context.now) else {
            try await context.publish(
                SPKTargetChangeRejected(
                    spkId: before.id, approvalId: request.id,
                    reason:
                        "\(before.producedQty) already produced is more than the new target \(change.newQty) allows, or the SPK is \(before.status.rawValue)"
                ))
            return
        }
        let record = TargetChange(
            approvalId: request.id, approvalCode: request.code, oldQty: before.targetQty, newQty: change.newQty,
            approvedBy: approvedBy, changedAt: after.updatedAt)
        guard try await spks.recordTargetChange(record, spk: before.id, in: context) else { return }  // applied before
        try await spks.updateTarget(after, in: context)
        try await context.audit("spk", before.id.uuidString, "target-change \(request.code)", before: before, after: after)
        try await context.publish(
            SPKTargetChanged(
                spk: after, approvalId: request.id, approvalCode: request.code,
                oldTarget: before.targetQty, newTarget: after.targetQty))
        if after.status == .completed && before.status != .completed {
            try await context.publish(SPKCompleted(spk: after))
        }
    }
}

/// Pure: the SPK with a new target, or nil if the change is no longer valid.
enum TargetChangeRules {
    static func apply(newTarget: Int, to spk: SPK, now: Date) -> SPK? {
        guard newTarget > 0, newTarget >= spk.producedQty, spk.status != .cancelled, spk.status != .closed else { return nil }
        var after = spk
        after.targetQty = newTarget
        if spk.status != .onHold {  // a held SPK stays held; its new target counts once it resumes
            after.status = .running(produced: spk.producedQty, target: newTarget, started: spk.producedQty > 0)
        }
        after.progress = progressPercent(produced: spk.producedQty, target: newTarget)
        after.updatedAt = now
        after.version += 1
        return after
    }
}
