import Contracts
import Foundation

/// Which shift runs at a moment. The day shift runs from `dayShiftStart` to `nightShiftStart`, the
/// night shift from there to the next day's start; a night shift belongs to the date it began on. Pure.
enum ShiftCalendar {
    static func current(at instant: Date, policy: ProductionPolicy) -> CurrentShift {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = policy.timeZone
        let midnight = calendar.startOfDay(for: instant)
        func at(_ minutes: Int, daysFrom base: Date, _ days: Int = 0) -> Date {
            let day = calendar.date(byAdding: .day, value: days, to: base)!
            return calendar.date(byAdding: .minute, value: minutes, to: day)!
        }
        let dayStart = at(policy.dayShiftStart, daysFrom: midnight)
        let nightStart = at(policy.nightShiftStart, daysFrom: midnight)
        let today = LocalDate.of(instant, in: policy.timeZone)
        let zone = policy.timeZone.identifier
        if instant < dayStart {
            return CurrentShift(
                shift: .night, date: today.adding(days: -1), startsAt: at(policy.nightShiftStart, daysFrom: midnight, -1),
                endsAt: dayStart, timeZone: zone)
        }
        if instant < nightStart {
            return CurrentShift(shift: .day, date: today, startsAt: dayStart, endsAt: nightStart, timeZone: zone)
        }
        return CurrentShift(
            shift: .night, date: today, startsAt: nightStart, endsAt: at(policy.dayShiftStart, daysFrom: midnight, 1),
            timeZone: zone)
    }

    /// `HH:MM` as minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0..<24).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        return hours * 60 + minutes
    }
}
