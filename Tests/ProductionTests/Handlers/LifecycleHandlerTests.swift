import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// Holding, resuming, cancelling and closing SPKs, and voiding a wrong entry, on in-memory repositories.
@Suite struct LifecycleHandlerTests {
    let house = ProductionHarness()

    func change(_ spk: SPK, _ action: SPKAction, by actor: Actor = Actors.manager, reason: String = "machine down") async throws -> SPK {
        try await house.lifecycle.changeStatus(ChangeSPKStatus(spk: spk.code, action: action, reason: reason), house.context(actor))
    }

    @Test func holdAndResumeMoveTheStatusPublishAndAudit() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        house.advance(seconds: 60)
        let held = try await change(spk, .hold, by: Actors.sewingSupervisor)
        #expect(held.status == .onHold && held.version == 2 && held.updatedAt == house.now)
        #expect(try await house.spk(spk.code).status == .onHold)
        let event = try #require(house.effects.events(SPKStatusChanged.self).only)
        #expect(event.action == .hold && event.from == .notStarted && event.reason == "machine down" && event.spk == held)
        let audit = try #require(house.effects.auditRows.only)
        #expect(audit.entity == "spk" && audit.action == "hold: machine down" && audit.actor_name == "spv_sewing")

        // Nothing was reported yet: resumed, it has not started.
        #expect(try await change(held, .resume, by: Actors.sewingSupervisor).status == .notStarted)
    }

    @Test func onlyAllowedMovesAreTaken() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        #expect(await refusal { try await change(spk, .resume) }?.code == .conflict)
        #expect(await refusal { try await change(spk, .close) }?.code == .conflict)  // nothing made yet
        #expect(try await change(spk, .cancel).status == .cancelled)
        #expect(await refusal { try await change(spk, .hold) }?.code == .conflict)
        #expect(house.effects.events(SPKStatusChanged.self).map(\.action) == [.cancel])
    }

    @Test func supervisorsActOnTheirOwnDepartmentAndHoldOnly() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(.sewing)
        #expect(await refusal { try await change(spk, .hold, by: Actors.cuttingSupervisor) }?.code == .forbidden)
        #expect(await refusal { try await change(spk, .cancel, by: Actors.sewingSupervisor) }?.code == .forbidden)
        #expect(await refusal { try await change(spk, .hold, by: Actors.sewingStaff) }?.code == .forbidden)
        #expect(await refusal { try await change(spk, .hold, reason: " ") }?.code == .validationFailed)
        #expect(try await house.spk(spk.code).status == .notStarted)
        #expect(house.effects.messages.isEmpty)
    }

    @Test func resumingAnSPKWhoseTargetWasLoweredToItsOutputCompletesIt() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(60, on: spk)
        let held = try await change(spk, .hold)
        let approval = TargetChangeHandlerTests.approval(of: spk, newQty: 60)
        try await house.targets.approved(ApprovalApproved(request: approval), house.context(.system("approval")))
        #expect(try await house.spk(spk.code).status == .onHold)  // a held SPK stays held
        house.effects.reset()
        let resumed = try await change(held, .resume)
        #expect(resumed.status == .completed)
        #expect(house.effects.events(SPKCompleted.self).map(\.spk.id) == [spk.id])
    }

    @Test func voidingReversesTheEntryAndPublishesTheReversal() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(30, rejects: 3, on: spk, date: "2026-03-08")
        let wrong = try await house.produce(50, rejects: 2, on: spk, date: "2026-03-09")
        let result = try await house.lifecycle.voidEntry(
            VoidDailyInput(entryId: wrong.uuidString, reason: "typed twice"),
            house.context(Actors.sewingSupervisor))
        #expect(result.entryId == wrong && result.cumulative == 30 && result.target == 100 && result.progress == 30)
        #expect(result.spkStatus == .inProgress)
        let after = try await house.spk(spk.code)
        #expect(after.producedQty == 30 && after.rejectQty == 3 && after.updatedAt == house.now)
        let event = try #require(house.effects.events(DailyInputVoided.self).only)
        #expect(event.entryId == wrong && event.reversalId == result.reversalId && event.reason == "typed twice")
        #expect(event.reversal == RecordedEntry(id: result.reversalId, spkId: spk.id, date: LocalDate("2026-03-09")!, qty: -50, rejectQty: -2))
        #expect(house.effects.auditRows.only?.action == "void: typed twice")
        let progress = try await house.spks.progress(GetSPKProgress(spk: spk.code), house.context(Actors.sewingStaff))
        #expect(progress.daily.map(\.qty) == [30, 0] && progress.cumulative == 30)
    }

    @Test func anEntryIsVoidedOnceAndAReversalNever() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let entry = try await house.produce(10, on: spk)
        let context = house.context(Actors.manager)
        let result = try await house.lifecycle.voidEntry(VoidDailyInput(entryId: entry.uuidString, reason: "wrong"), context)
        #expect(
            await refusal { try await house.lifecycle.voidEntry(VoidDailyInput(entryId: entry.uuidString, reason: "again"), context) }?
                .code == .conflict)
        #expect(
            await refusal {
                try await house.lifecycle.voidEntry(VoidDailyInput(entryId: result.reversalId.uuidString, reason: "undo"), context)
            }?.code == .conflict)
        #expect(
            await refusal { try await house.lifecycle.voidEntry(VoidDailyInput(entryId: UUID().uuidString, reason: "x"), context) }?
                .code == .notFound)
        #expect(
            await refusal { try await house.lifecycle.voidEntry(VoidDailyInput(entryId: "not-an-id", reason: "x"), context) }?
                .code == .notFound)
    }

    @Test func voidingNeedsTheRoleAndTheDepartment() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(.sewing)
        let entry = try await house.produce(10, on: spk)
        for actor in [Actors.sewingStaff, Actors.cuttingSupervisor, Actors.planner] {
            #expect(
                await refusal {
                    try await house.lifecycle.voidEntry(VoidDailyInput(entryId: entry.uuidString, reason: "x"), house.context(actor))
                }?.code == .forbidden)
        }
        #expect(try await house.spk(spk.code).producedQty == 10)
    }

    @Test func aStageCannotGoBelowWhatTheNextStageAlreadyUsed() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing])
        let order = try await house.orders.create(
            CreateOrder(articleCode: "BEAR", qty: 100, startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-20")!),
            house.context(Actors.planner))
        let (cutting, sewing) = (try #require(order.spks?.first), try #require(order.spks?.last))
        let cut = try await house.produce(40, on: cutting)
        try await house.produce(30, on: sewing)
        #expect(try await house.spk(sewing.code).availableWip == 10)
        let refused = await refusal {
            try await house.lifecycle.voidEntry(VoidDailyInput(entryId: cut.uuidString, reason: "wrong"), house.context(Actors.manager))
        }
        #expect(refused?.code == .ruleViolated && refused?.message.contains("SEWING has already reported 30") == true)
        #expect(try await house.spk(cutting.code).producedQty == 40)
    }
}
