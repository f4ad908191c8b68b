import Foundation
import Messaging
import PostgresNIO
import ServiceKit

extension PPICRebuild {
    /// `stitch-ppic rebuild`: with the service's own configuration (broker, database), migrates the
    /// schema if needed, rebuilds, prints what it did. Exits non-zero on failure.
    public static func command(settings: PPICSettings) async {
        let (configuration, logger) = ServiceRunner.bootstrap("ppic")
        do {
            let bus = try AMQPMessageBus(url: configuration.amqpURL, name: "\(configuration.instance)-rebuild", logger: logger)
            let client = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
            let outcome = try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                try await Migrator(schema: configuration.database.schema, migrations: PPICMigrations.all, logger: logger)
                    .migrate(client)
                return try await run(client: client, bus: bus, settings: settings, logger: logger)
            }
            await bus.shutdown()
            print("stitch-ppic: \(outcome)")
        } catch {
            logger.critical("rebuild failed: \(error)")
            exit(1)
        }
    }
}
