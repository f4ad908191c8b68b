import Contracts
import Foundation
import Messaging
import ServiceKit

/// An NCR decided REWORK (quality.ncr.decided.v1) becomes a rework SPK at the stage Quality named, for
/// the NCR's quantity, due in `reworkDays`. Quality checked who decided; the inbox makes it happen once.
struct ReworkHandlers {
    let policy: ProductionPolicy
    let spks: any SPKRepository
    var reworkDays = 3

    func ncrDecided(_ event: NCRDecided, _ context: MessageContext) async throws {
        let ncr = event.ncr
        guard ncr.decision == .rework, let stage = ncr.reworkStage, let article = ncr.articleCode, ncr.qty > 0 else { return }
        let now = context.now
        let today = policy.today(at: now)
        let spk = SPK(
            id: UUID(), code: try await spks.nextCode(on: today, in: context), articleCode: article.uppercased(), stage: stage,
            department: stage.department, originalQty: min(ncr.qty, InputRules.quantity.upperBound),
            targetQty: min(ncr.qty, InputRules.quantity.upperBound), producedQty: 0, rejectQty: 0, progress: 0, status: .notStarted,
            startDate: today, dueDate: today.adding(days: reworkDays),
            notes: "REWORK for \(ncr.code): \(ncr.title)".prefix(2000).description,
            createdBy: ncr.decidedBy ?? context.actor?.username ?? "quality", createdAt: now, updatedAt: now, version: 1)
        try await spks.insert(spk, in: context)
        try await context.audit("spk", spk.id.uuidString, "create-rework", before: SPK?.none, after: spk)
        try await context.publish(SPKCreated(spk: spk))
    }
}
