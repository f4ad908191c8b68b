import BOMFinance
import ServiceKit

let definition: ServiceDefinition
do {
    definition = BOMFinanceService.definition(environment: .live(), settings: try BOMFinanceSettings.fromEnvironment())
} catch {
    ServiceRunner.fail("bomfinance", error)
}
await ServiceRunner.main(definition)
