import BOMFinance
import ServiceKit

let definition: ServiceDefinition
do {
    definition = BOMFinanceService.definition(settings: try BOMFinanceSettings.fromEnvironment())
} catch {
    ServiceRunner.fail("bomfinance", error)
}
await ServiceRunner.main(definition)
