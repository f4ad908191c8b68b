import Approval
import ServiceKit

let definition: ServiceDefinition
do {
    definition = ApprovalService.definition(
        environment: .live(), timeZone: try EnvironmentReader().timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"))
} catch {
    ServiceRunner.fail("approval", error)
}
await ServiceRunner.main(definition)
