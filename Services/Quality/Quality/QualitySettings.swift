import Contracts
import Foundation
import ServiceKit

/// Quality's settings, read once from the environment in the executable.
public struct QualitySettings: Sendable {
    /// The AQLs (percent) of major and minor defects in final inspection; critical defects are never accepted.
    public var aqlMajor: Double
    public var aqlMinor: Double
    /// How long an NCR may stay undecided before it escalates to MANAGER.
    public var escalationHours: Int
    /// How often the timers look for work (NCRs to escalate, codes to announce).
    public var sweepInterval: Duration
    public var timeZone: TimeZone
    /// The service's clock: its definition sets it from the `ServiceEnvironment`.
    public var now: @Sendable () -> Date

    public init(
        aqlMajor: Double = 2.5, aqlMinor: Double = 4.0, escalationHours: Int = 24, sweepInterval: Duration = .seconds(30),
        timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!
    ) {
        self.aqlMajor = aqlMajor
        self.aqlMinor = aqlMinor
        self.escalationHours = escalationHours
        self.sweepInterval = sweepInterval
        self.timeZone = timeZone
        now = { Date() }
    }

    /// | variable | default |
    /// |---|---|
    /// | `STITCH_AQL_MAJOR` | 2.5 (one of 0.65, 1.0, 1.5, 2.5, 4.0, 6.5) |
    /// | `STITCH_AQL_MINOR` | 4.0 (same choice) |
    /// | `STITCH_NCR_ESCALATION_HOURS` | 24 (1–720) |
    /// | `STITCH_FACTORY_TIMEZONE` | Asia/Jakarta |
    public init(environment: EnvironmentReader) throws {
        func aql(_ name: String, _ fallback: String) throws -> Double {
            let text = try environment.string(name, default: fallback)
            guard let value = Double(text), Z14.supportedAQLs.contains(value) else {
                throw ConfigurationError("\(name) must be one of \(Z14.supportedAQLs.map { "\($0)" }.joined(separator: ", ")); got \"\(text)\"")
            }
            return value
        }
        self.init(
            aqlMajor: try aql("STITCH_AQL_MAJOR", "2.5"), aqlMinor: try aql("STITCH_AQL_MINOR", "4.0"),
            escalationHours: try environment.int("STITCH_NCR_ESCALATION_HOURS", default: 24, range: 1...720),
            timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"))
    }

    var today: LocalDate { LocalDate.of(now(), in: timeZone) }
}
