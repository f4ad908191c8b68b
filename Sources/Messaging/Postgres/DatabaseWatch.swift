import Foundation
import PostgresNIO
import Synchronization

/// One thread that watches every bounded database call of the process (`PostgresClient.connection`):
/// ten times a second it finishes the calls whose connection has closed (`DatabaseConnectionClosed`) or
/// whose deadline has passed (`DeadlineExceeded`), cancelling their work. A thread, not a task per call:
/// the per-call timer tasks cost more thread wake-ups than the statements they guarded.
final class DatabaseWatch: Sendable {
    static let shared = DatabaseWatch()

    private let watched = Mutex<[ObjectIdentifier: any WatchedCall]>([:])

    private init() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                sweep()
            }
        }
        thread.name = "stitch-database-watch"
        thread.start()
    }

    func add(_ call: some WatchedCall) { watched.withLock { $0[ObjectIdentifier(call)] = call } }

    func remove(_ call: some WatchedCall) { _ = watched.withLock { $0.removeValue(forKey: ObjectIdentifier(call)) } }

    private func sweep() {
        let calls = watched.withLock { Array($0.values) }
        let now = ContinuousClock.now
        for call in calls { call.check(now: now) }
    }
}

protocol WatchedCall: AnyObject, Sendable {
    /// Finishes the call if its connection closed or its deadline passed.
    func check(now: ContinuousClock.Instant)
}
