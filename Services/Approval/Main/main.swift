import Approval
import ServiceKit

let definition: ServiceDefinition
do {
    definition = ApprovalService.definition(timeZone: try EnvironmentReader().timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"))
} catch {
    ServiceRunner.fail("approval", error)
}
ActorVerifier.requireConfiguration(for: "approval")
await ServiceRunner.main(definition)
