import PPIC
import ServiceKit

// `stitch-ppic` runs the service; `stitch-ppic help` lists its ops commands (`rebuild`, `dead-letters`).
let settings: PPICSettings
do {
    settings = try PPICSettings(environment: EnvironmentReader())
} catch {
    ServiceRunner.fail("ppic", error)
}
await ServiceRunner.main(PPICService.definition(environment: .live(), settings: settings))
