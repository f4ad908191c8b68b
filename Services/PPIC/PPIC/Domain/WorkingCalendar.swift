import Contracts
import Foundation

/// A day of the week as factories name them in settings (`MON`…`SUN`).
public enum Weekday: Int, Sendable, CaseIterable, Comparable {
    case monday = 0
    case tuesday, wednesday, thursday, friday, saturday, sunday

    public var abbreviation: String { ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"][rawValue] }

    public init?(abbreviation: String) {
        guard let day = Self.allCases.first(where: { $0.abbreviation == abbreviation.uppercased() }) else { return nil }
        self = day
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Which days the factory works. Counting is arithmetic on day numbers (no Foundation calendar),
/// so a sweep over thousands of SPKs costs nothing.
public struct WorkingCalendar: Sendable, Hashable {
    public let workingDays: Set<Weekday>

    public static let mondayToFriday = WorkingCalendar([.monday, .tuesday, .wednesday, .thursday, .friday])

    public init(_ workingDays: Set<Weekday>) { self.workingDays = workingDays }

    /// Reads `MON,TUE,WED,THU,FRI,SAT`; nil if a name is unknown or the list is empty.
    public init?(parsing text: String) {
        var days = Set<Weekday>()
        for name in text.split(separator: ",") {
            guard let day = Weekday(abbreviation: name.trimmingCharacters(in: .whitespaces)) else { return nil }
            days.insert(day)
        }
        guard !days.isEmpty else { return nil }
        self.init(days)
    }

    /// `MON,TUE,…` in week order: how the setting is written, and a stable key for "did it change".
    public var description: String { workingDays.sorted().map(\.abbreviation).joined(separator: ",") }

    public func isWorkingDay(_ date: LocalDate) -> Bool { workingDays.contains(date.weekday) }

    /// Working days in `from…through`, both included; 0 when `through` is before `from`.
    public func workingDays(from: LocalDate, through: LocalDate) -> Int {
        let first = from.dayNumber
        let last = through.dayNumber
        guard last >= first else { return 0 }
        let span = last - first + 1
        var count = span / 7 * workingDays.count
        let startWeekday = from.weekday.rawValue
        for offset in 0..<(span % 7) where workingDays.contains(Weekday(rawValue: (startWeekday + offset) % 7)!) {
            count += 1
        }
        return count
    }

    /// The first working day after `date` (the next day if no day of the week is a working day).
    public func nextWorkingDay(after date: LocalDate) -> LocalDate {
        for offset in 1...7 where isWorkingDay(date.adding(days: offset)) { return date.adding(days: offset) }
        return date.adding(days: 1)
    }
}

extension LocalDate {
    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil): exact for every Gregorian date.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 1970-01-01 was a Thursday.
    var weekday: Weekday { Weekday(rawValue: ((dayNumber + 3) % 7 + 7) % 7)! }

    /// Calendar days in `self…other`, both included.
    func calendarDays(through other: LocalDate) -> Int { max(0, other.dayNumber - dayNumber + 1) }
}
