import Contracts
import Synchronization

/// `DayCounter` in memory: numbers per day from 1, for the in-memory repositories' codes.
final class InMemoryDayCounter: Sendable {
    private let last = Mutex<[LocalDate: Int]>([:])

    func next(on day: LocalDate) -> Int {
        last.withLock { last in
            last[day, default: 0] += 1
            return last[day]!
        }
    }
}
