import Foundation
import ServiceKit

/// The warehouse's settings, read once from the environment in the executable.
public struct WarehouseSettings: Sendable {
    /// The factory's GS1 company prefix (7–10 digits), the start of every SSCC it prints.
    public var companyPrefix: String
    /// What "today" is for delivery-note numbers.
    public var timeZone: TimeZone

    public init(companyPrefix: String = "8991234", timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!) {
        self.companyPrefix = companyPrefix
        self.timeZone = timeZone
    }

    /// | variable | default |
    /// |---|---|
    /// | `STITCH_GS1_COMPANY_PREFIX` | 8991234 (7–10 digits) |
    /// | `STITCH_FACTORY_TIMEZONE` | Asia/Jakarta |
    public init(environment: EnvironmentReader) throws {
        let prefix = try environment.string("STITCH_GS1_COMPANY_PREFIX", default: "8991234")
        guard (7...10).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ConfigurationError("STITCH_GS1_COMPANY_PREFIX must be 7 to 10 digits; got \"\(prefix)\"")
        }
        self.init(companyPrefix: prefix, timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"))
    }
}
