import Contracts
import Foundation
import Messaging
import ServiceKit

/// Holding, resuming, cancelling and closing SPKs; voiding wrong entries. Each change is audited
/// and published.
struct LifecycleHandlers {
    let spks: any SPKRepository
    let inputs: any DailyInputRepository

    func changeStatus(_ command: ChangeSPKStatus, _ context: MessageContext) async throws -> SPK {
        let before = try await spks.require(command.spk, lock: true, in: context)
        let after = try SPKLifecycle.apply(command.action, to: before, actor: context.actor, reason: command.reason, now: context.now)
        try await spks.updateStatus(after, in: context)
        try await context.audit(
            "spk", after.id.uuidString, "\(command.action.rawValue.lowercased()): \(command.reason)",
            before: before, after: after)
        try await context.publish(SPKStatusChanged(spk: after, action: command.action, from: before.status, reason: command.reason))
        if after.status == .completed {  // resumed after its target was lowered to what it had made
            try await context.publish(SPKCompleted(spk: after))
        }
        return after
    }

    func voidEntry(_ command: VoidDailyInput, _ context: MessageContext) async throws -> VoidResult {
        guard let id = UUID(uuidString: command.entryId), let entry = try await inputs.input(id, in: context) else {
            throw ErrorReply.notFound("Daily entry \(command.entryId)")
        }
        guard !entry.isReversal else { throw ErrorReply.conflict("This entry is itself a reversal; it cannot be voided.") }
        guard !entry.voided else { throw ErrorReply.conflict("This entry was already voided.") }
        let stages = try await spks.requireWithNeighbours(entry.spkId.uuidString, withNext: true, in: context)
        let before = stages.spk
        var after = try SPKLifecycle.void(
            qty: entry.qty, rejects: entry.rejectQty, from: before, actor: context.actor,
            reason: command.reason, now: context.now, nextStage: stages.next)
        after.availableWip = stages.previous.map { max(0, $0.producedQty - after.producedQty) }
        let reversalId = UUID()
        try await inputs.recordReversal(
            of: entry, id: reversalId, reason: command.reason, by: context.actor?.username ?? "unknown",
            in: context)
        try await spks.updateProgress(after, in: context)
        try await context.audit("daily_input", entry.id.uuidString, "void: \(command.reason)", before: before, after: after)
        let reversal = RecordedEntry(
            id: reversalId, spkId: before.id, date: LocalDate(entry.date)!, qty: -entry.qty,
            rejectQty: -entry.rejectQty)
        try await context.publish(
            DailyInputVoided(
                entryId: entry.id, reversalId: reversalId, spk: after, reason: command.reason,
                reversal: reversal))
        return VoidResult(
            entryId: entry.id, reversalId: reversalId, cumulative: after.producedQty, target: after.targetQty,
            progress: after.progress, spkStatus: after.status)
    }
}
