import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// Recording what a line produced — one entry, a batch arriving together, a phone's backlog — on in-memory
/// repositories: the rules, the defect codes from Production's copy, `client_entry_id`s, what is written and published.
@Suite struct DailyInputHandlerTests {
    let house = ProductionHarness()
    /// The harness's today in the factory.
    static let today = "2026-03-10"

    func entry(
        _ qty: Int, rejects: Int = 0, date: String = today, key: String? = nil, shift: Shift? = nil, operatorId: String? = nil,
        notes: String? = nil, defects: [DefectCount]? = nil
    ) -> DailyInputEntry {
        DailyInputEntry(
            date: LocalDate(date)!, qty: qty, rejectQty: rejects, shift: shift, operatorId: operatorId, notes: notes,
            clientEntryId: key, defects: defects)
    }

    /// Entries that reach Production together, each with its own message; an outcome for each.
    func record(
        _ entries: [(spk: String, entry: DailyInputEntry)], by actor: Actor? = Actors.sewingStaff, operator: OperatorRef? = nil
    ) async throws -> [Result<DailyInputResult, ErrorReply>] {
        try await house.dailyInput.record(
            entries.map { (command: RecordDailyInput(spk: $0.spk, entry: $0.entry, operator: `operator`), context: house.context(actor)) })
    }

    /// One entry alone: a batch of one.
    func record(
        _ entry: DailyInputEntry, on spk: SPK, by actor: Actor? = Actors.sewingStaff, operator: OperatorRef? = nil
    ) async throws -> Result<DailyInputResult, ErrorReply> {
        try await record([(spk.code, entry)], by: actor, operator: `operator`)[0]
    }

    func phone(_ entries: [MobileEntry]) async throws -> [MobileEntryResult] {
        try await house.dailyInput.recordBatch(RecordMobileBatch(entries: entries), house.context(Actors.sewingStaff))
    }

    func totals(_ spk: SPK) async throws -> [DailyTotal] {
        try await house.repositories.inputs.dailyTotals(of: spk.id, in: house.context(nil))
    }

    func keep(_ code: String, stage: Stage = .sewing, active: Bool = true, filled: Bool = true) async throws {
        let defects = house.repositories.defects
        let context = house.context(.system("quality"))
        try await defects.keep(
            DefectCode(code: code, stage: stage, name: code, severity: .major, active: active, updatedAt: house.now), in: context)
        if filled { try await defects.markFilled(at: house.now, in: context) }
    }

    // MARK: One entry

    @Test func anEntryMovesTheFiguresPublishesAuditsAndAnswers() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        house.advance(seconds: 60)
        let result = try await record(entry(40, rejects: 2, notes: "line 3"), on: spk).get()
        #expect(result.cumulative == 40 && result.target == 100 && result.progress == 40 && result.spkStatus == .inProgress)
        let after = try await house.spk(spk.code)
        #expect(after.producedQty == 40 && after.rejectQty == 2 && after.status == .inProgress && after.progress == 40)
        #expect(after.version == 2 && after.updatedAt == house.now)
        #expect(try await totals(spk) == [DailyTotal(date: LocalDate(Self.today)!, qty: 40, rejectQty: 2)])
        let event = try #require(house.effects.events(DailyInputRecorded.self).only)
        #expect(event.entryId == result.entryId && event.spk == after && event.recordedBy == "staff_sewing")
        #expect(event.entry.qty == 40 && event.entry.notes == "line 3" && event.entry.shift == Shift.none)
        #expect(house.effects.events(SPKCompleted.self).isEmpty)
        let audit = try #require(house.effects.auditRows.only)
        #expect(audit.entity == "daily_input" && audit.entity_id == result.entryId.uuidString && audit.action == "record")
        #expect(audit.actor_name == "staff_sewing")
    }

    @Test func reachingTheTargetCompletesTheSPK() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(60, on: spk)
        let result = try await record(entry(40), on: spk).get()
        #expect(result.cumulative == 100 && result.spkStatus == .completed && result.progress == 100)
        #expect(try await house.spk(spk.code).status == .completed)
        let completed = try #require(house.effects.events(SPKCompleted.self).only)
        #expect(completed.spk.id == spk.id && completed.spk.status == .completed)
        #expect(house.effects.events(DailyInputRecorded.self).count == 1)
    }

    @Test func overrunUpToTheToleranceIsRecordedBeyondItRefused() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        let beyond = try await record(entry(111), on: spk).failure
        #expect(beyond?.code == .ruleViolated && beyond?.details.map(\.field) == ["qty"])
        #expect(try await house.spk(spk.code).producedQty == 0 && house.effects.messages.isEmpty)
        #expect(try await record(entry(110), on: spk).get().cumulative == 110)
    }

    @Test func anInvalidEntryIsRefusedNamingTheField() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let cases: [(DailyInputEntry, String)] = [
            (entry(0), "qty"), (entry(-5), "qty"), (entry(1, rejects: -1), "reject_qty"),
            (entry(1, key: String(repeating: "k", count: 101)), "client_entry_id"),
            (entry(1, notes: String(repeating: "n", count: 2001)), "notes"),
        ]
        for (bad, field) in cases {
            let refusal = try await record(bad, on: spk).failure
            #expect(refusal?.code == .validationFailed && refusal?.details.map(\.field) == [field], "\(field)")
        }
        let future = try await record(entry(1, date: "2026-03-11"), on: spk).failure
        #expect(future?.code == .ruleViolated && future?.details.map(\.field) == ["date"])
        let early = try await record(entry(1, date: "2026-02-28"), on: spk).failure
        #expect(early?.code == .ruleViolated && early?.details.map(\.field) == ["date"])
        #expect(try await house.spk(spk.code).producedQty == 0 && house.effects.messages.isEmpty && house.effects.auditRows.isEmpty)
    }

    @Test func onlyProductionOfTheSPKsDepartmentRecords() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(.sewing)
        for actor in [nil, Actors.finance, Actors.planner, Actors.cuttingSupervisor] {
            #expect(try await record(entry(1), on: spk, by: actor).failure?.code == .forbidden, "\(actor?.username ?? "nobody")")
        }
        #expect(try await record(entry(1), on: spk, by: Actors.sewingSupervisor).get().cumulative == 1)
        #expect(try await record(entry(1), on: spk, by: Actors.manager).get().cumulative == 2)
    }

    @Test func anUnknownOrClosedSPKIsRefused() async throws {
        try await house.knowArticle()
        let missing = try await record([("SPK-20990101-0001", entry(1))])[0].failure
        #expect(missing?.code == .notFound)
        let spk = try await house.makeSPK()
        _ = try await house.lifecycle.changeStatus(ChangeSPKStatus(spk: spk.code, action: .cancel, reason: "gone"), house.context(Actors.manager))
        house.effects.reset()
        #expect(try await record(entry(1), on: spk).failure?.code == .conflict)
        #expect(house.effects.messages.isEmpty)
    }

    @Test func aStageTakesNoMoreThanThePreviousStagePassedOn() async throws {
        try await house.knowArticle("BEAR", route: [.cutting, .sewing])
        let order = try await house.orders.create(
            CreateOrder(articleCode: "BEAR", qty: 100, startDate: LocalDate("2026-03-10")!, dueDate: LocalDate("2026-03-19")!),
            house.context(Actors.planner))
        let stages = try #require(order.spks)
        try await house.produce(60, on: stages[0])
        house.effects.reset()
        // The sewing stage starts later, but may take input from the order's start once it has WIP.
        let first = try await record(entry(40), on: stages[1]).get()
        #expect(first.cumulative == 40)
        #expect(try #require(house.effects.events(DailyInputRecorded.self).only).spk.availableWip == 20)
        let past = try await record(entry(21), on: stages[1]).failure
        #expect(past?.code == .ruleViolated && past?.details.first?.message == "at most 20 available from CUTTING")
        #expect(try await house.spk(stages[1].code).producedQty == 40)
    }

    @Test func aShiftBasedStageNeedsAShiftAndAnOperator() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(.cutting)
        let missing = try await record(entry(5), on: spk, by: Actors.cuttingSupervisor).failure
        #expect(missing?.code == .ruleViolated && Set(missing?.details.map(\.field) ?? []) == ["shift", "operator_id"])
        let cutter = OperatorRef(id: UUID(), username: "staff_cutting", department: "CUTTING", active: true)
        let stranger = try await record(entry(5, shift: .day, operatorId: "ghost"), on: spk, by: Actors.cuttingSupervisor).failure
        #expect(stranger?.details.map(\.field) == ["operator_id"])
        let result = try await record(
            entry(5, shift: .night, operatorId: "staff_cutting"), on: spk, by: Actors.cuttingSupervisor, operator: cutter
        ).get()
        #expect(result.cumulative == 5)
        let event = try #require(house.effects.events(DailyInputRecorded.self).only)
        #expect(event.entry.shift == .night && event.entry.operatorId == cutter.id.uuidString)
    }

    // MARK: Defect codes, from Production's copy of Quality's

    @Test func defectsNameActiveCodesOfTheStageFromTheCopy() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let seam = [DefectCount(code: " open_seam ", qty: 2)]
        // Not yet filled from Quality: a code the copy lacks may be one it has not heard of. 503, to be retried.
        let early = try await record(entry(1, rejects: 2, defects: seam), on: spk).failure
        #expect(early?.code == .unavailable)
        try await keep("LOOSE_THREAD")  // filled now, without OPEN_SEAM
        let unknown = try await record(entry(1, rejects: 2, defects: seam), on: spk).failure
        #expect(unknown?.code == .ruleViolated && unknown?.details.map(\.field) == ["defects[0].code"])
        try await keep("OPEN_SEAM", active: false)
        #expect(try await record(entry(1, rejects: 2, defects: seam), on: spk).failure?.code == .ruleViolated)
        try await keep("PRINT_SHIFT", stage: .cutting)  // another stage's code
        let elsewhere = try await record(entry(1, rejects: 1, defects: [DefectCount(code: "PRINT_SHIFT", qty: 1)]), on: spk).failure
        #expect(elsewhere?.details.map(\.field) == ["defects[0].code"])
        #expect(try await house.spk(spk.code).rejectQty == 0 && house.effects.messages.isEmpty)

        let sum = try await record(entry(1, rejects: 3, defects: [DefectCount(code: "LOOSE_THREAD", qty: 2)]), on: spk).failure
        #expect(sum?.details.map(\.field) == ["defects"])
        #expect(try await record(entry(1, rejects: 2, defects: [DefectCount(code: "loose_thread", qty: 2)]), on: spk).get().cumulative == 1)
        let event = try #require(house.effects.events(DailyInputRecorded.self).only)
        #expect(event.entry.defects == [DefectCount(code: "LOOSE_THREAD", qty: 2)])
    }

    @Test func aKnownCodeNeedsNoFill() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        try await keep("OPEN_SEAM", filled: false)
        #expect(try await record(entry(1, rejects: 2, defects: [DefectCount(code: "OPEN_SEAM", qty: 2)]), on: spk).get().cumulative == 1)
    }

    // MARK: client_entry_id

    @Test func theSameEntryAgainIsADuplicateAnotherUnderItsIdIsRefused() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let first = try await record(entry(7, key: "phone-1"), on: spk).get()
        house.effects.reset()
        // The same entry, by id or code: its first result, nothing recorded twice.
        #expect(try await record(entry(7, key: "phone-1"), on: spk).get() == first)
        #expect(try await record([(spk.id.uuidString, entry(7, key: "phone-1"))])[0].get() == first)
        #expect(try await house.spk(spk.code).producedQty == 7 && house.effects.messages.isEmpty)
        for other in [entry(70, key: "phone-1"), entry(7, rejects: 1, key: "phone-1"), entry(7, date: "2026-03-09", key: "phone-1")] {
            let refusal = try await record(other, on: spk).failure
            #expect(refusal?.code == .ruleViolated && refusal?.details.map(\.field) == ["client_entry_id"])
        }
        let elsewhere = try await house.makeSPK()
        #expect(try await record(entry(7, key: "phone-1"), on: elsewhere).failure?.details.map(\.field) == ["client_entry_id"])
        #expect(try await totals(spk).map(\.qty) == [7] && house.effects.messages.isEmpty)
    }

    @Test func anIdTwiceInOneBatchAnswersAsItsFirst() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let same = try await record([(spk.code, entry(7, key: "k-1")), (spk.code, entry(7, key: "k-1"))])
        #expect(try same[0].get() == same[1].get())
        let other = try await record([(spk.code, entry(5, key: "k-2")), (spk.code, entry(6, key: "k-2"))])
        #expect(try other[0].get().cumulative == 12)
        #expect(other[1].failure?.code == .ruleViolated && other[1].failure?.details.map(\.field) == ["client_entry_id"])
        #expect(try await house.spk(spk.code).producedQty == 12)
        #expect(house.effects.events(DailyInputRecorded.self).map(\.entry.qty) == [7, 5])
    }

    // MARK: Batches

    @Test func aRefusedEntryInABatchWritesNothingTheOthersAreRecorded() async throws {
        try await house.knowArticle()
        let a = try await house.makeSPK()
        let b = try await house.makeSPK()
        let outcomes = try await record([(a.code, entry(10)), (a.code, entry(3, date: "2026-03-12")), (b.code, entry(5)), ("nope", entry(1))])
        #expect(try outcomes[0].get().cumulative == 10 && outcomes[1].failure?.details.map(\.field) == ["date"])
        #expect(try outcomes[2].get().cumulative == 5 && outcomes[3].failure?.code == .notFound)
        #expect(try await house.spk(a.code).producedQty == 10)
        #expect(try await house.spk(b.code).producedQty == 5)
        #expect(house.effects.events(DailyInputRecorded.self).map(\.spk.id) == [a.id, b.id])
        #expect(try await totals(a).map(\.qty) == [10] && house.effects.auditRows.count == 2)
    }

    @Test func aSecondEntryForAnSPKInABatchSeesTheFirst() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        let outcomes = try await record([(spk.code, entry(60)), (spk.code, entry(40)), (spk.code, entry(11))])
        #expect(try outcomes.prefix(2).map { try $0.get().cumulative } == [60, 100])
        // Completed by the second, the SPK takes no third.
        #expect(try outcomes[1].get().spkStatus == .completed && outcomes[2].failure?.code == .conflict)
        let after = try await house.spk(spk.code)
        #expect(after.producedQty == 100 && after.status == .completed && after.version == 3)
        #expect(house.effects.events(DailyInputRecorded.self).map(\.spk.producedQty) == [60, 100])
        #expect(house.effects.events(SPKCompleted.self).count == 1)
    }

    // MARK: A phone's backlog

    @Test func aPhonesBatchAnswersEachEntryOnItsOwn() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let id = spk.id.uuidString
        let results = try await phone([
            MobileEntry(spkId: id, entry: entry(20, date: "2026-03-08", key: "m-1")),
            MobileEntry(spkId: id, entry: entry(15, rejects: 1, date: "2026-03-09", key: "m-2")),
            MobileEntry(spkId: id, entry: entry(20, date: "2026-03-08", key: "m-1")),
            MobileEntry(spkId: id, entry: entry(-5, key: "m-3")),
            MobileEntry(spkId: "SPK-19990101-0001", entry: entry(5, key: "m-4")),
            MobileEntry(spkId: id, entry: entry(5, key: "m-5", notes: "bad\u{0}text")),
        ])
        #expect(results.map(\.clientEntryId) == ["m-1", "m-2", "m-1", "m-3", "m-4", "m-5"])
        #expect(results.map(\.status) == [.recorded, .recorded, .duplicate, .rejected, .rejected, .rejected])
        #expect(results[0].result?.cumulative == 20 && results[1].result?.cumulative == 35 && results[2].result == results[0].result)
        #expect(results[3].error?.details.map(\.field) == ["qty"] && results[4].error?.code == .notFound)
        #expect(results[5].error?.code == .validationFailed && results[5].error?.details.first?.field.hasSuffix("notes") == true)
        #expect(try await house.spk(spk.code).producedQty == 35)

        house.effects.reset()
        let again = try await phone([MobileEntry(spkId: spk.code, entry: entry(20, date: "2026-03-08", key: "m-1"))])
        #expect(again.map(\.status) == [.duplicate] && again[0].result == results[0].result && house.effects.messages.isEmpty)
    }

    @Test func aPhonesBatchHoldsOneToFiveHundredEntries() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        #expect(await refusal { try await phone([]) }?.details.map(\.field) == ["entries"])
        let many = (0...RecordMobileBatch.maxEntries).map { MobileEntry(spkId: spk.code, entry: entry(1, key: "m-\($0)")) }
        let tooMany = await refusal { try await phone(many) }
        #expect(tooMany?.code == .validationFailed && tooMany?.details.map(\.field) == ["entries"])
        #expect(try await house.spk(spk.code).producedQty == 0)
    }
}

extension Result where Failure == ErrorReply {
    /// The refusal, if it was one.
    var failure: ErrorReply? {
        if case .failure(let refusal) = self { return refusal }
        return nil
    }
}
