import Contracts
import ServiceKit
import Testing

/// Codes drawn from a day counter read the same in every service (DayCounter.swift).
@Suite struct DayCounterTests {
    @Test func codeIsPrefixCompactDayAndFourDigitNumber() {
        #expect(DayCounter.code(prefix: "NCR", day: LocalDate("2026-01-28")!, sequence: 7) == "NCR-20260128-0007")
        #expect(DayCounter.code(prefix: "MOD", day: LocalDate("2026-12-01")!, sequence: 12345) == "MOD-20261201-12345")
    }
}
