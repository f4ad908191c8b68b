import ServiceKit
import Warehouse

// `stitch-warehouse` runs the service; `verify` compares balances with the ledger; `seed` fills a
// development system; `dead-letters` lists or replays parked messages.
let definition: ServiceDefinition
do {
    definition = WarehouseService.definition(environment: .live(), settings: try WarehouseSettings(environment: EnvironmentReader()))
} catch {
    ServiceRunner.fail("warehouse", error)
}
await ServiceRunner.main(definition)
