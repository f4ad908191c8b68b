import Contracts
import Foundation

/// The factory's rules that are settings rather than code.
public struct ProductionPolicy: Sendable {
    /// The factory's time zone: what "today" is for dates and SPK codes.
    public var timeZone: TimeZone
    /// How far cumulative good output may pass the target, in percent.
    public var overrunTolerancePercent: Int
    /// Stages whose input names a shift (DAY/NIGHT) and an operator.
    public var shiftBasedStages: Set<Stage>
    /// When the day and the night shift begin, in minutes after local midnight.
    public var dayShiftStart: Int
    public var nightShiftStart: Int

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!, overrunTolerancePercent: Int = 10,
        shiftBasedStages: Set<Stage> = [.cutting], dayShiftStart: Int = 7 * 60, nightShiftStart: Int = 19 * 60
    ) {
        self.timeZone = timeZone
        self.overrunTolerancePercent = overrunTolerancePercent
        self.shiftBasedStages = shiftBasedStages
        self.dayShiftStart = dayShiftStart
        self.nightShiftStart = nightShiftStart
    }

    /// The factory's date at `instant`.
    public func today(at instant: Date) -> LocalDate { LocalDate.of(instant, in: timeZone) }

    /// Most good output an SPK with `target` may record in total.
    public func maximumOutput(target: Int) -> Int {
        target + target * overrunTolerancePercent / 100
    }

    public func isShiftBased(_ stage: Stage) -> Bool { shiftBasedStages.contains(stage) }
}
