import Contracts
import Foundation
import ServiceKit

/// PPIC: the planners' view, built only from Production's and Approval's events. Owns schema `ppic`.
public enum PPICService {
    /// "Today" is the date of `environment`'s clock in `settings.timeZone`.
    public static func definition(environment: ServiceEnvironment, settings: PPICSettings = PPICSettings()) -> ServiceDefinition {
        let now = environment.now
        let sweep = DailySweep(settings: settings, now: now)
        var handlers = HandlerRegistry()
        handlers.today = { LocalDate.of(now(), in: settings.timeZone) }
        EventHandlers(settings: settings, sweep: sweep).register(in: &handlers)
        QueryHandlers(settings: settings, sweep: sweep).register(in: &handlers)
        return ServiceDefinition(
            name: ServiceName.ppic.rawValue, environment: environment, migrations: PPICMigrations.all, handlers: handlers,
            background: [
                { client, _, logger, monitor in
                    await sweep.run(client: client, logger: logger, monitor: monitor)
                }
            ],
            opsCommands: [
                "rebuild": OpsCommand(
                    summary: "refill PPIC's read model from Production (the service may keep running)",
                    standalone: { _ in
                        await PPICRebuild.command(settings: settings)
                        exit(0)
                    })
            ])
    }
}
