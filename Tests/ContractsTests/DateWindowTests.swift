import Contracts
import Foundation
import Testing

/// Every date a client sends lies within five years of the factory's today; the check finds every
/// date of every request and names its field (DateWindow.swift).
@Suite struct DateWindowTests {
    let today = LocalDate("2026-12-07")!

    func fields(_ request: some Request) -> [String] {
        InputRules.$factoryToday.withValue(today) {
            do throws(ErrorReply) { try request.validate() } catch { return error.details.map(\.field) }
            return []
        }
    }

    func spk(start: String, due: String) -> CreateSPK {
        CreateSPK(
            articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: 10, startDate: LocalDate(start)!,
            dueDate: LocalDate(due)!)
    }

    @Test func theWindowIsFiveYearsEachSide() {
        let window = InputRules.dateWindow(around: today)
        #expect(window.lowerBound == LocalDate("2021-12-07")! && window.upperBound == LocalDate("2031-12-07")!)
        #expect(InputRules.dateWindow(around: LocalDate("2028-02-29")!).upperBound == LocalDate("2033-02-28")!)
    }

    @Test func anSPKDueIn1900IsRefusedNamingItsField() {
        #expect(Set(fields(spk(start: "2026-12-01", due: "1900-01-01"))) == ["due_date"])
        #expect(fields(spk(start: "2026-12-01", due: "2026-12-20")).isEmpty)
        #expect(fields(spk(start: "2021-12-07", due: "2031-12-07")).isEmpty)
        #expect(fields(spk(start: "2021-12-06", due: "2031-12-08")) == ["start_date", "due_date"])
        // A due date before the start is the plan's rule, judged with its others (a form hears of all at once).
        #expect(fields(spk(start: "2026-12-10", due: "2026-12-09")) == ["due_date"])
    }

    @Test func everyDateOfEveryRequestIsFoundWhereverItSits() {
        #expect(
            fields(RecordDailyInput(spk: "SPK-1", entry: DailyInputEntry(date: LocalDate("1999-01-01")!, qty: 1))).contains { $0.hasSuffix("date") })
        #expect(fields(ListMovements(from: LocalDate("1900-01-01")!)) == ["from"])
        #expect(fields(ListMovements(from: LocalDate("2026-12-01")!, to: LocalDate("2026-11-01")!)) == ["to"])
        #expect(fields(GetDefectPareto(from: LocalDate("2020-12-01")!)) == ["from"])
        #expect(fields(ListSPKs(dueBefore: LocalDate("9999-12-31")!)) == ["due_before"])
    }

    @Test func todayIsTheCheckersOwn() {
        // The same request on a clock moved six years on: the start is too old now.
        let request = spk(start: "2026-12-01", due: "2026-12-20")
        let later = InputRules.$factoryToday.withValue(LocalDate("2032-12-07")!) { () -> [String] in
            do throws(ErrorReply) { try request.validate() } catch { return error.details.map(\.field) }
            return []
        }
        #expect(later == ["start_date", "due_date"])
    }
}
