import Contracts
import Testing

/// A date is read from every message, so it is checked by arithmetic, not a calendar: the same answers.
@Suite struct LocalDateTests {
    @Test func realDatesAreReadAndWrittenBack() {
        for text in ["2026-01-28", "2024-02-29", "2000-02-29", "1900-02-28", "9999-12-31", "1900-01-01", "2026-04-30"] {
            #expect(LocalDate(text)?.description == text)
        }
        #expect(LocalDate(year: 2026, month: 3, day: 5)?.description == "2026-03-05")
    }

    @Test func datesNoCalendarHasAreRefused() {
        for text in [
            "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
            "2026-01-32", "1899-12-31", "2026-1-05", "26-01-05", "2026-01-05T00:00",
        ] {
            #expect(LocalDate(text) == nil, "\(text)")
        }
        #expect(LocalDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test func daysStepAcrossMonthsAndYears() {
        #expect(LocalDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(LocalDate("2026-03-01")!.adding(days: -1).description == "2026-02-28")
    }
}
