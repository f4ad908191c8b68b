import Contracts
import PPIC
import Testing

private func day(_ text: String) -> LocalDate { LocalDate(text)! }

@Suite("Working calendar")
struct WorkingCalendarTests {
    let weekdays = WorkingCalendar.mondayToFriday

    @Test("known dates fall on the right weekday, leap days and centuries included")
    func weekdaysOfKnownDates() {
        #expect(!weekdays.isWorkingDay(day("2026-11-14")))  // Saturday
        #expect(!weekdays.isWorkingDay(day("2026-11-15")))  // Sunday
        #expect(weekdays.isWorkingDay(day("2026-11-16")))  // Monday
        #expect(weekdays.isWorkingDay(day("2024-02-29")))  // Thursday
        #expect(weekdays.isWorkingDay(day("2000-03-01")))  // Wednesday
        #expect(weekdays.isWorkingDay(day("1970-01-01")))  // Thursday
        #expect(!weekdays.isWorkingDay(day("1999-12-26")))  // Sunday
    }

    @Test("counts working days in a window, both ends included, across weekends")
    func counting() {
        #expect(weekdays.workingDays(from: day("2026-11-02"), through: day("2026-11-13")) == 10)
        #expect(weekdays.workingDays(from: day("2026-11-02"), through: day("2026-11-02")) == 1)
        #expect(weekdays.workingDays(from: day("2026-11-07"), through: day("2026-11-08")) == 0)
        #expect(weekdays.workingDays(from: day("2026-11-06"), through: day("2026-11-09")) == 2)
        #expect(weekdays.workingDays(from: day("2026-11-13"), through: day("2026-11-02")) == 0)
        #expect(weekdays.workingDays(from: day("2026-01-01"), through: day("2026-12-31")) == 261)
        let sixDays = WorkingCalendar(parsing: "MON,TUE,WED,THU,FRI,SAT")!
        #expect(sixDays.workingDays(from: day("2026-11-02"), through: day("2026-11-13")) == 11)
        #expect(sixDays.nextWorkingDay(after: day("2026-11-13")) == day("2026-11-14"))
        #expect(weekdays.nextWorkingDay(after: day("2026-11-13")) == day("2026-11-16"))
    }

    @Test("reads the setting in any case and order; refuses unknown or no days")
    func parsing() {
        #expect(WorkingCalendar(parsing: "sat, mon,TUE")?.description == "MON,TUE,SAT")
        #expect(WorkingCalendar(parsing: "MON,FUNDAY") == nil)
        #expect(WorkingCalendar(parsing: "") == nil)
        #expect(WorkingCalendar.mondayToFriday.description == "MON,TUE,WED,THU,FRI")
    }
}
