import Contracts
import Foundation
import Testing

@testable import Production

/// Production, as the owner, holds an SPK's and an order's dates to the window around its own today,
/// whatever reached it (the contract checks them as the request is read; this is the second check).
@Suite struct PlanDateRulesTests {
    let today = LocalDate("2026-12-07")!
    let planner = Actor(userId: "9", username: "ppic", roles: ["PPIC_MANAGER"], department: nil)

    func spk(start: String, due: String) -> CreateSPK {
        CreateSPK(
            articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: 10, startDate: LocalDate(start)!,
            dueDate: LocalDate(due)!)
    }

    func fields(_ body: () throws -> Void) -> [String] {
        do { try body() } catch let error as ErrorReply { return error.details.map(\.field) } catch { return ["unexpected \(error)"] }
        return []
    }

    @Test func aDueDateIn1900IsRefusedNamingTheField() {
        #expect(
            fields { try SPKRules.validate(spk(start: "2026-12-01", due: "1900-01-01"), actor: planner, today: today) }
                == ["due_date", "due_date"])  // outside the window, and before the start
        #expect(fields { try SPKRules.validate(spk(start: "1900-01-01", due: "2026-12-20"), actor: planner, today: today) } == ["start_date"])
    }

    @Test func theWindowIsFiveYearsEachSideOfTheOwnersToday() {
        #expect(fields { try SPKRules.validate(spk(start: "2021-12-07", due: "2031-12-07"), actor: planner, today: today) }.isEmpty)
        #expect(
            fields { try SPKRules.validate(spk(start: "2021-12-06", due: "2031-12-08"), actor: planner, today: today) }
                == ["start_date", "due_date"])
        // The same dates on a clock six years on: the start is now too old.
        #expect(
            fields {
                try SPKRules.validate(
                    spk(start: "2021-12-07", due: "2031-12-07"), actor: planner,
                    today: LocalDate("2032-12-07")!)
            } == ["start_date"])
    }

    @Test func anOrderIsHeldToTheSameWindow() {
        let order = CreateOrder(articleCode: "bear", qty: 10, startDate: LocalDate("2026-12-01")!, dueDate: LocalDate("2999-01-01")!)
        #expect(fields { _ = try OrderRules.validate(order, actor: planner, today: today) } == ["due_date"])
    }

    @Test func aDailyEntryFromAnotherCenturyIsRefused() {
        let policy = ProductionPolicy(timeZone: .gmt)
        let sewer = Actor(userId: "1", username: "s", roles: ["PRODUCTION_STAFF"], department: "SEWING")
        let open = SPK(
            id: UUID(), code: "SPK-20261201-0001", articleCode: "BEAR", stage: .sewing, department: .sewing,
            originalQty: 100, targetQty: 100, producedQty: 0, rejectQty: 0, progress: 0, status: .notStarted,
            startDate: LocalDate("1900-01-01")!, dueDate: LocalDate("2026-12-20")!, notes: nil, createdBy: "ppic",
            createdAt: Date(), updatedAt: Date(), version: 1)
        let entry = DailyInputEntry(date: LocalDate("1900-01-02")!, qty: 5)
        #expect(fields { _ = try DailyInputRules.apply(entry, to: open, actor: sewer, policy: policy, today: today) } == ["date"])
    }
}
