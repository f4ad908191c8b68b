import Foundation
import PPIC
import ServiceKit

let zoneName = ProcessInfo.processInfo.environment["STITCH_FACTORY_TIMEZONE"] ?? "Asia/Jakarta"
guard let zone = TimeZone(identifier: zoneName) else {
    ServiceRunner.fail("ppic", ConfigurationError("STITCH_FACTORY_TIMEZONE \"\(zoneName)\" is not a time zone name (e.g. Asia/Jakarta)"))
}
await ServiceRunner.main(PPICService.definition(timeZone: zone))
