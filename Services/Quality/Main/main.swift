import Quality
import ServiceKit

// `stitch-quality` runs the service; `dead-letters` lists or replays parked messages.
let definition: ServiceDefinition
do {
    definition = QualityService.definition(environment: .live(), settings: try QualitySettings(environment: EnvironmentReader()))
} catch {
    ServiceRunner.fail("quality", error)
}
await ServiceRunner.main(definition)
