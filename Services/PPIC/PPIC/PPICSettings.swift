import Foundation
import ServiceKit

/// PPIC's settings, read once from the environment in the executable and passed to the service.
public struct PPICSettings: Sendable {
    /// What "today" is: the factory's time zone.
    public var timeZone: TimeZone
    public var rules: HealthRules
    /// How long an approval may wait before it counts as waiting too long.
    public var approvalWarning: Duration
    /// How often an instance checks whether the factory date has changed (queries check too).
    public var sweepInterval: Duration
    /// How long a material debt may stay open before it is a warning.
    public var debtWarning: Duration = .seconds(7 * 24 * 3600)
    /// A defect code that is more than this share (percent) of a stage's output over the last
    /// `defectWindowDays` factory days is a warning.
    public var defectShareWarningPercent: Int = 5
    public var defectWindowDays: Int = 7

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!, rules: HealthRules = HealthRules(),
        approvalWarning: Duration = .seconds(24 * 3600), sweepInterval: Duration = .seconds(60)
    ) {
        self.timeZone = timeZone
        self.rules = rules
        self.approvalWarning = approvalWarning
        self.sweepInterval = sweepInterval
    }

    /// | variable | default |
    /// |---|---|
    /// | `STITCH_FACTORY_TIMEZONE` | Asia/Jakarta |
    /// | `STITCH_WORKING_DAYS` | MON,TUE,WED,THU,FRI |
    /// | `STITCH_HEALTH_ON_TRACK_PERCENT` | 95 |
    /// | `STITCH_HEALTH_AT_RISK_PERCENT` | 80 |
    /// | `STITCH_REJECT_ALERT_PERCENT` | 5 |
    /// | `STITCH_NO_INPUT_WORKING_DAYS` | 2 |
    /// | `STITCH_APPROVAL_WARNING_HOURS` | 24 |
    /// | `STITCH_DEBT_WARNING_DAYS` | 7 |
    /// | `STITCH_DEFECT_SHARE_WARNING_PERCENT` | 5 (one defect code's share of a stage's output) |
    /// | `STITCH_DEFECT_WINDOW_DAYS` | 7 (the days that share is taken over, today included) |
    public init(environment: EnvironmentReader) throws {
        let days = try environment.string("STITCH_WORKING_DAYS", default: WorkingCalendar.mondayToFriday.description)
        guard let calendar = WorkingCalendar(parsing: days) else {
            throw ConfigurationError("STITCH_WORKING_DAYS must list days as MON,TUE,WED,THU,FRI,SAT,SUN; got \"\(days)\"")
        }
        let onTrack = try environment.int("STITCH_HEALTH_ON_TRACK_PERCENT", default: 95, range: 1...100)
        let atRisk = try environment.int("STITCH_HEALTH_AT_RISK_PERCENT", default: 80, range: 0...100)
        guard atRisk <= onTrack else {
            throw ConfigurationError("STITCH_HEALTH_AT_RISK_PERCENT (\(atRisk)) must not be above STITCH_HEALTH_ON_TRACK_PERCENT (\(onTrack))")
        }
        let thresholds = HealthThresholds(
            onTrackPercent: onTrack, atRiskPercent: atRisk,
            rejectAlertPercent: try environment.int("STITCH_REJECT_ALERT_PERCENT", default: 5, range: 0...100),
            noInputWorkingDays: try environment.int("STITCH_NO_INPUT_WORKING_DAYS", default: 2, range: 1...60))
        self.init(
            timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"),
            rules: HealthRules(calendar: calendar, thresholds: thresholds),
            approvalWarning: .seconds(try environment.int("STITCH_APPROVAL_WARNING_HOURS", default: 24, range: 1...720) * 3600))
        debtWarning = .seconds(try environment.int("STITCH_DEBT_WARNING_DAYS", default: 7, range: 1...365) * 24 * 3600)
        defectShareWarningPercent = try environment.int("STITCH_DEFECT_SHARE_WARNING_PERCENT", default: 5, range: 1...100)
        defectWindowDays = try environment.int("STITCH_DEFECT_WINDOW_DAYS", default: 7, range: 1...90)
    }

    /// Changes when anything that decides health changes: a sweep then re-judges every SPK.
    var rulesSignature: String {
        let t = rules.thresholds
        return "\(rules.calendar.description);\(t.onTrackPercent);\(t.atRiskPercent);\(t.rejectAlertPercent);\(t.noInputWorkingDays)"
    }
}
