import Production
import ServiceKit

let policy: ProductionPolicy
do {
    policy = try ProductionService.policy()
} catch {
    ServiceRunner.fail("production", error)
}
ActorVerifier.requireConfiguration(for: "production")
await ServiceRunner.main(ProductionService.definition(policy: policy))
