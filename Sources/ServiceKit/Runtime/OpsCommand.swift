import Foundation
import Logging
import Messaging
import PostgresNIO

/// An operator's command of a service executable (`stitch-warehouse verify`): with the service's own
/// configuration it migrates the schema if needed, runs `body` against the database, prints what
/// `body` returns and exits with its status (0 = all well). Runs beside the live service.
public struct OpsCommand: Sendable {
    public typealias Body =
        @Sendable (_ client: PostgresClient, _ arguments: [String], _ logger: Logger) async throws -> (output: String, status: Int32)

    public var summary: String
    private let run: @Sendable (_ definition: ServiceDefinition, _ arguments: [String]) async -> Never

    public init(summary: String, _ body: @escaping Body) {
        self.summary = summary
        run = { definition, arguments in await Self.main(definition, arguments: arguments, body) }
    }

    /// A command that sets itself up (it needs more than the database, say the broker) and ends the process.
    public init(summary: String, standalone: @escaping @Sendable (_ arguments: [String]) async -> Never) {
        self.summary = summary
        run = { _, arguments in await standalone(arguments) }
    }

    func main(_ definition: ServiceDefinition, arguments: [String]) async -> Never {
        await run(definition, arguments)
    }

    private static func main(_ definition: ServiceDefinition, arguments: [String], _ body: Body) async -> Never {
        let (configuration, logger) = ServiceRunner.bootstrap(definition.name)
        let client = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
        do {
            let (output, status) = try await withThrowingTaskGroup(of: (String, Int32)?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                try await Migrator(schema: configuration.database.schema, migrations: definition.migrations, logger: logger).migrate(client)
                return try await body(client, arguments, logger)
            }
            print(output)
            exit(status)
        } catch {
            logger.critical("\(definition.name) ops command failed: \(error)")
            exit(1)
        }
    }
}
