import Production
import ServiceKit

let policy: ProductionPolicy
do {
    policy = try ProductionService.policy()
} catch {
    ServiceRunner.fail("production", error)
}
await ServiceRunner.main(ProductionService.definition(environment: .live(), policy: policy))
