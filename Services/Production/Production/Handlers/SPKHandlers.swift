import Contracts
import Foundation
import Messaging
import ServiceKit

/// Creating and reading SPKs.
struct SPKHandlers {
    let policy: ProductionPolicy
    let spks: any SPKRepository
    let inputs: any DailyInputRepository
    let articles: ArticlePlanHandlers

    func create(_ command: CreateSPK, _ context: MessageContext) async throws -> SPK {
        let now = context.now
        let today = policy.today(at: now)
        try SPKRules.validate(command, actor: context.actor, today: today)
        let articleCode = command.articleCode.trimmingCharacters(in: .whitespaces).uppercased()
        _ = try await articles.require(articleCode, context)
        let spk = SPK(
            id: UUID(), code: try await spks.nextCode(on: today, in: context),
            articleCode: articleCode, stage: command.stage,
            department: command.department, originalQty: command.originalQty, targetQty: command.originalQty, producedQty: 0,
            rejectQty: 0, progress: 0, status: .notStarted, startDate: command.startDate, dueDate: command.dueDate,
            notes: command.notes, createdBy: context.actor?.username ?? "unknown", createdAt: now, updatedAt: now, version: 1)
        try await spks.insert(spk, in: context)
        try await context.audit("spk", spk.id.uuidString, "create", before: SPK?.none, after: spk)
        try await context.publish(SPKCreated(spk: spk))
        return spk
    }

    func list(_ query: ListSPKs, _ context: MessageContext) async throws -> Page<SPK> {
        try query.page.validate()
        return try await spks.list(query, in: context)
    }

    func get(_ query: GetSPK, _ context: MessageContext) async throws -> SPK {
        try await spks.require(query.spk, in: context)
    }

    func progress(_ query: GetSPKProgress, _ context: MessageContext) async throws -> SPKProgress {
        let spk = try await spks.require(query.spk, in: context)
        var cumulative = 0
        let daily = try await inputs.dailyTotals(of: spk.id, in: context).map { day in
            cumulative += day.qty
            return DailyProgress(date: day.date, qty: day.qty, rejectQty: day.rejectQty, cumulative: cumulative)
        }
        return SPKProgress(
            spkId: spk.id, code: spk.code, originalQty: spk.originalQty, target: spk.targetQty,
            cumulative: spk.producedQty, remaining: max(0, spk.targetQty - spk.producedQty), progress: spk.progress,
            rejects: spk.rejectQty, status: spk.status, daily: daily,
            targetChanges: try await spks.targetChanges(of: spk.id, in: context))
    }

    func mine(_ query: ListMySPKs, _ context: MessageContext) async throws -> [SPK] {
        guard let department = context.actor?.department.flatMap(Department.init(rawValue:)) else { return [] }
        return try await spks.open(department: department, in: context)
    }
}
