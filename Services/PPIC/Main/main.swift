import Foundation
import PPIC
import ServiceKit

// `stitch-ppic` runs the service; `stitch-ppic rebuild` refills its read model from Production and exits.
let settings: PPICSettings
do {
    settings = try PPICSettings(environment: EnvironmentReader())
} catch {
    ServiceRunner.fail("ppic", error)
}
switch CommandLine.arguments.dropFirst().first {
case nil:
    ActorVerifier.requireConfiguration(for: "ppic")
    await ServiceRunner.main(PPICService.definition(settings: settings))
case "rebuild":
    await PPICRebuild.command(settings: settings)
default:
    FileHandle.standardError.write(Data("""
        usage: stitch-ppic            run the PPIC service
               stitch-ppic rebuild    refill PPIC's read model from Production (the service may keep running)

        """.utf8))
    exit(2)
}
