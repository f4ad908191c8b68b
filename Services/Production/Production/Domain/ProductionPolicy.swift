import Contracts
import Foundation

/// The factory's rules that are settings rather than code.
public struct ProductionPolicy: Sendable {
    /// The factory's time zone: what "today" is for dates and SPK codes.
    public var timeZone: TimeZone
    /// How far cumulative good output may pass the target, in percent.
    public var overrunTolerancePercent: Int
    /// The clock (tests move it).
    public var now: @Sendable () -> Date

    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!, overrunTolerancePercent: Int = 10,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.timeZone = timeZone
        self.overrunTolerancePercent = overrunTolerancePercent
        self.now = now
    }

    public var today: LocalDate { LocalDate.of(now(), in: timeZone) }

    /// Most good output an SPK with `target` may record in total.
    public func maximumOutput(target: Int) -> Int {
        target + target * overrunTolerancePercent / 100
    }
}

