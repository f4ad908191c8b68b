import Foundation

/// The dates a client may send (docs/architecture.md, rule 6): within `dateWindowYears` of the
/// factory's today. A due date of 1900 or 2999 is a typo, and it would sort to the top of every
/// list and stretch every plan. `TextWalk` finds every date of a request, so `validate()` checks
/// them all — at the gateway before it sends, and in the owning service as it reads the request —
/// naming each field. A query's range checks its order too (`dateOrder`); an SPK's or an order's due
/// date before its start is Production's rule, judged with its other rules so a form hears of all at once.
extension InputRules {
    /// How many years before and after the factory's today a date may lie.
    public static let dateWindowYears = 5

    /// The factory's today for the checks of the running request: set by whoever checks with a clock of
    /// their own (the gateway per HTTP request, a service per message). Nil: the system clock in the
    /// factory's time zone (`STITCH_FACTORY_TIMEZONE`, default Asia/Jakarta).
    @TaskLocal public static var factoryToday: LocalDate?

    public static let factoryTimeZone: TimeZone =
        ProcessInfo.processInfo.environment["STITCH_FACTORY_TIMEZONE"].flatMap(TimeZone.init(identifier:))
        ?? TimeZone(identifier: "Asia/Jakarta")!

    public static var today: LocalDate { factoryToday ?? LocalDate.of(Date(), in: factoryTimeZone) }

    /// The dates accepted on `today`.
    public static func dateWindow(around today: LocalDate) -> ClosedRange<LocalDate> {
        today.adding(years: -dateWindowYears)...today.adding(years: dateWindowYears)
    }

    /// `date` within the window around today, or what is wrong with it.
    public static func dateProblem(_ date: LocalDate, field: String, today: LocalDate = today) -> FieldError? {
        let window = dateWindow(around: today)
        return window.contains(date)
            ? nil
            : FieldError(
                field: field,
                message: "must be between \(window.lowerBound) and \(window.upperBound) (within \(dateWindowYears) years of today, \(today))")
    }

    /// An end (`due_date`, `to`) not before its start, when both are given.
    public static func dateOrder(_ start: LocalDate?, _ startField: String, _ end: LocalDate?, _ endField: String) -> FieldError? {
        guard let start, let end, end < start else { return nil }
        return FieldError(field: endField, message: "must not be before \(startField) (\(start))")
    }

    /// What the API document says of every date a client sends (a date has no `minimum`/`maximum` in JSON Schema).
    public static var dateRuleDescription: String {
        "A date (YYYY-MM-DD) within \(dateWindowYears) years before or after the factory's today (its time zone decides the day); "
            + "an end date (due_date, to) may not lie before its start (start_date, from)."
    }
}

extension LocalDate {
    /// The same day `years` later (or earlier); 29 February becomes the 28th in a common year.
    public func adding(years: Int) -> LocalDate {
        let target = year + years
        return LocalDate(year: target, month: month, day: min(day, Self.days(inMonth: month, of: target)))
            ?? (years < 0 ? LocalDate(year: 1900, month: 1, day: 1)! : LocalDate(year: 9999, month: 12, day: 31)!)
    }
}
