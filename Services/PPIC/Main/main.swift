import PPIC
import ServiceKit

let environment = EnvironmentReader()
let definition: ServiceDefinition
do {
    let hours = try environment.int("STITCH_APPROVAL_WARNING_HOURS", default: 24, range: 1...720)
    definition = PPICService.definition(timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"),
                                        approvalWarning: .seconds(hours * 3600))
} catch {
    ServiceRunner.fail("ppic", error)
}
await ServiceRunner.main(definition)
