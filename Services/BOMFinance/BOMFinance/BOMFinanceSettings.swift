import Contracts
import Foundation
import ServiceKit

/// How BOMFinance costs and tells the date: labour rates per minute per stage, overhead, the factory's time zone.
public struct BOMFinanceSettings: Sendable {
    public var rates: CostRates
    public var timeZone: TimeZone
    /// The service's clock: its definition sets it from the `ServiceEnvironment`.
    public var now: @Sendable () -> Date

    public static let defaultRates: [Stage: Decimal] = [.cutting: 300, .embroidery: 400, .sewing: 350, .finishing: 300, .packing: 250]

    public init(
        rates: CostRates = CostRates(perMinute: defaultRates, overheadPercent: 15),
        timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!
    ) {
        self.rates = rates
        self.timeZone = timeZone
        now = { Date() }
    }

    /// From the environment: `STITCH_LABOUR_RATE_<STAGE>` (money per minute), `STITCH_OVERHEAD_PERCENT` (15),
    /// `STITCH_FACTORY_TIMEZONE` (Asia/Jakarta).
    public static func fromEnvironment(_ environment: EnvironmentReader = EnvironmentReader()) throws -> BOMFinanceSettings {
        func decimal(_ name: String, _ fallback: Decimal) throws -> Decimal {
            let text = try environment.string(name, default: fallback.description)
            guard let value = Decimal(string: text), value >= 0, value <= 1_000_000 else {
                throw ConfigurationError("\(name) must be a number from 0 to 1000000, got \"\(text)\"")
            }
            return value
        }
        var perMinute: [Stage: Decimal] = [:]
        for stage in Stage.allCases {
            perMinute[stage] = try decimal("STITCH_LABOUR_RATE_\(stage.rawValue)", defaultRates[stage] ?? 0)
        }
        return BOMFinanceSettings(
            rates: CostRates(perMinute: perMinute, overheadPercent: try decimal("STITCH_OVERHEAD_PERCENT", 15)),
            timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"))
    }

    var today: LocalDate { LocalDate.of(now(), in: timeZone) }

    /// The last instant of `day` in the factory (what was in force "on" that day).
    func endOfDay(_ day: LocalDate) -> Date {
        let next = day.adding(days: 1).startOfDayUTC
        return next.addingTimeInterval(-Double(timeZone.secondsFromGMT(for: next)) - 0.001)
    }
}
