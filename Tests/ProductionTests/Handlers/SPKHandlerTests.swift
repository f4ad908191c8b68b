import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// Creating and reading SPKs, on in-memory repositories.
@Suite struct SPKHandlerTests {
    let house = ProductionHarness()

    func command(_ article: String = "bear ", qty: Int = 120, start: String = "2026-03-10", due: String = "2026-03-25") -> CreateSPK {
        CreateSPK(
            articleCode: article, stage: .sewing, department: .sewing, originalQty: qty, startDate: LocalDate(start)!,
            dueDate: LocalDate(due)!, notes: "rush")
    }

    @Test func aPlannerCreatesAnSPKNumberedByTheFactorysDay() async throws {
        try await house.knowArticle()
        house.set("2026-03-10", hour: 2)  // 2 a.m. in Jakarta is still the 9th in UTC: the code follows the factory
        let first = try await house.spks.create(command(), house.context(Actors.planner))
        let second = try await house.spks.create(command(), house.context(Actors.planner))
        #expect(first.code == "SPK-20260310-0001" && second.code == "SPK-20260310-0002")
        #expect(first.articleCode == "BEAR" && first.targetQty == 120 && first.originalQty == 120)
        #expect(first.status == .notStarted && first.producedQty == 0 && first.version == 1)
        #expect(first.createdBy == "ppic_manager" && first.createdAt == house.now && first.updatedAt == house.now)
        #expect(try await house.spk(first.code) == first)
    }

    @Test func creatingPublishesSPKCreatedAndAuditsIt() async throws {
        try await house.knowArticle()
        let spk = try await house.spks.create(command(), house.context(Actors.planner))
        #expect(house.effects.events(SPKCreated.self).map(\.spk) == [spk])
        let audit = try #require(house.effects.auditRows.only)
        #expect(audit.entity == "spk" && audit.entity_id == spk.id.uuidString && audit.action == "create")
        #expect(audit.actor_name == "ppic_manager" && audit.before == nil && audit.after?.contains(spk.code) == true)
    }

    @Test func onlyPlannersAndManagersCreate() async throws {
        try await house.knowArticle()
        for actor in [Actors.sewingStaff, Actors.sewingSupervisor, Actors.finance] {
            #expect(await refusal { try await house.spks.create(command(), house.context(actor)) }?.code == .forbidden)
        }
        #expect(house.effects.messages.isEmpty && house.effects.auditRows.isEmpty)
    }

    @Test func aBadPlanIsRefusedNamingTheField() async throws {
        try await house.knowArticle()
        let badPlan = command(qty: 0, start: "2026-03-25", due: "2026-03-10")
        let refusal = await refusal { try await house.spks.create(badPlan, house.context(Actors.planner)) }
        #expect(refusal?.code == .validationFailed)
        #expect(refusal?.details.map(\.field).contains("original_qty") == true)
        #expect(refusal?.details.map(\.field).contains("due_date") == true)
    }

    @Test func anArticleBOMFinanceDoesNotKnowIsRefused() async throws {
        house.owners.refuse(GetArticlePlan.self, with: .notFound("Article GHOST"))
        let refusal = await refusal { try await house.spks.create(command("ghost"), house.context(Actors.planner)) }
        #expect(refusal?.code == .ruleViolated && refusal?.details.first?.field == "article_code")
        #expect(house.effects.events(SPKCreated.self).isEmpty)
    }

    @Test func anArticleNeverHeardOfIsAskedOnceAndKept() async throws {
        let bom = BOMReference(id: UUID(), code: "BOM-BEAR", version: 2)
        house.owners.answer(GetArticlePlan.self, with: ArticlePlan(article: ProductionHarness.article("BEAR"), activeBOM: bom))
        _ = try await house.spks.create(command(), house.context(Actors.planner))
        _ = try await house.spks.create(command(), house.context(Actors.planner))
        #expect(house.owners.queries == [GetArticlePlan.messageType])
        #expect(try await house.repositories.articles.plan("BEAR", in: house.context(nil))?.bom == bom)
    }

    @Test func bomFinanceNotAnsweringIsA503() async throws {
        let refusal = await refusal { try await house.spks.create(command(), house.context(Actors.planner)) }
        #expect(refusal?.code == .unavailable)
    }

    @Test func getFindsBySPKCodeInAnyCaseOrIdAndSays404Otherwise() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        #expect(try await house.spks.get(GetSPK(spk: spk.code.lowercased()), house.context(Actors.sewingStaff)) == spk)
        #expect(try await house.spks.get(GetSPK(spk: spk.id.uuidString), house.context(Actors.sewingStaff)) == spk)
        let missing = await refusal { try await house.spks.get(GetSPK(spk: "SPK-20990101-0001"), house.context(Actors.sewingStaff)) }
        #expect(missing?.code == .notFound)
    }

    @Test func listFiltersOrdersByDueDateAndPages() async throws {
        try await house.knowArticle()
        let late = try await house.makeSPK(.sewing, due: "2026-03-30")
        let soon = try await house.makeSPK(.sewing, due: "2026-03-15")
        let cutting = try await house.makeSPK(.cutting, due: "2026-03-20")
        try await house.produce(10, on: soon)
        let context = house.context(Actors.planner)
        let all = try await house.spks.list(ListSPKs(), context)
        #expect(all.items.map(\.id) == [soon.id, cutting.id, late.id] && all.total == 3)
        let sewing = try await house.spks.list(ListSPKs(department: .sewing), context)
        #expect(sewing.items.map(\.id) == [soon.id, late.id])
        #expect(try await house.spks.list(ListSPKs(status: .inProgress), context).items.map(\.id) == [soon.id])
        #expect(try await house.spks.list(ListSPKs(dueBefore: LocalDate("2026-03-20")!), context).items.map(\.id) == [soon.id])
        #expect(try await house.spks.list(ListSPKs(dueAfter: LocalDate("2026-03-20")!), context).items.map(\.id) == [late.id])
        let second = try await house.spks.list(ListSPKs(page: PageRequest(page: 2, perPage: 2)), context)
        #expect(second.items.map(\.id) == [late.id] && second.total == 3 && second.page == 2 && second.perPage == 2)
        let badPage = await refusal { try await house.spks.list(ListSPKs(page: PageRequest(page: 0)), context) }
        #expect(badPage?.code == .validationFailed)
    }

    @Test func progressShowsEachDayCumulativelyAndTheTargetChanges() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(qty: 100)
        try await house.produce(30, rejects: 2, on: spk, date: "2026-03-08")
        try await house.produce(20, on: spk, date: "2026-03-09")
        try await house.produce(5, rejects: 1, on: spk, date: "2026-03-09")
        let approval = TargetChangeHandlerTests.approval(of: spk, newQty: 80)
        try await house.targets.approved(ApprovalApproved(request: approval), house.context(.system("approval")))

        let progress = try await house.spks.progress(GetSPKProgress(spk: spk.code), house.context(Actors.sewingStaff))
        #expect(
            progress.daily == [
                DailyProgress(date: LocalDate("2026-03-08")!, qty: 30, rejectQty: 2, cumulative: 30),
                DailyProgress(date: LocalDate("2026-03-09")!, qty: 25, rejectQty: 1, cumulative: 55),
            ])
        #expect(progress.cumulative == 55 && progress.target == 80 && progress.originalQty == 100 && progress.remaining == 25)
        #expect(progress.rejects == 3 && progress.progress == 68.8 && progress.status == .inProgress)
        #expect(progress.targetChanges.map(\.newQty) == [80] && progress.targetChanges.first?.approvalCode == approval.code)
    }

    @Test func mineListsTheOpenSPKsOfTheUsersDepartment() async throws {
        try await house.knowArticle()
        let open = try await house.makeSPK(.sewing, due: "2026-03-21")
        let started = try await house.makeSPK(.sewing, due: "2026-03-20")
        try await house.produce(10, on: started)
        let done = try await house.makeSPK(.sewing, qty: 10)
        try await house.produce(10, on: done)
        _ = try await house.makeSPK(.cutting)
        #expect(try await house.spks.mine(ListMySPKs(), house.context(Actors.sewingStaff)).map(\.id) == [started.id, open.id])
        #expect(try await house.spks.mine(ListMySPKs(), house.context(Actors.planner)).isEmpty)  // no department
    }
}

/// The refusal `body` throws, nil if it succeeds.
func refusal<T>(_ body: () async throws -> T) async -> ErrorReply? {
    do {
        _ = try await body()
        return nil
    } catch let error as ErrorReply {
        return error
    } catch {
        Issue.record("expected an ErrorReply, got \(error)")
        return nil
    }
}

extension Array {
    /// The one element, nil if there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
