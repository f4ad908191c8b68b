import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceLifecycle

/// What makes a service: its name (= its schema, queue prefix and database role suffix), its SQL
/// migrations and the messages it handles.
public struct ServiceDefinition: Sendable {
    /// Work a service does on its own schedule (a timer), run while it consumes and cancelled at shutdown.
    /// It beats its own heartbeat (`monitor.register`), so a timer that stopped shows in `/ready`; `bus` is for
    /// asking another service (as the service itself).
    public typealias BackgroundTask =
        @Sendable (
            _ client: PostgresClient, _ bus: any MessageBus, _ logger: Logger,
            _ monitor: LoopMonitor
        ) async -> Void

    public var name: String
    public var migrations: [SQLMigration]
    public var handlers: HandlerRegistry
    public var background: [BackgroundTask]
    /// `stitch-<name> COMMAND ARGS…` (through `./scripts/run ops SERVICE COMMAND`): operator tools
    /// that run once against the service's database and exit (OpsCommand.swift).
    public var opsCommands: [String: OpsCommand]
    /// The clock and the actor verifier every handler of the service runs with.
    public var environment: ServiceEnvironment

    public init(
        name: String, environment: ServiceEnvironment, migrations: [SQLMigration], handlers: HandlerRegistry,
        background: [BackgroundTask] = [], opsCommands: [String: OpsCommand] = [:]
    ) {
        self.name = name
        self.environment = environment
        self.migrations = migrations
        self.handlers = handlers
        self.background = background
        self.opsCommands = opsCommands
    }

    public var commandQueue: String { "\(name).commands" }
    public var eventQueue: String { "\(name).events" }

    /// `<name>.commands` bound to every request type it handles, `<name>.events` to every event type.
    public var topology: Topology {
        var topology = Topology.base
        if !handlers.requests.isEmpty {
            topology = topology.merged(with: .commandQueue(commandQueue, types: handlers.requests.keys.sorted()))
        }
        if !handlers.events.isEmpty {
            topology = topology.merged(with: .eventQueue(eventQueue, patterns: handlers.events.keys.sorted()))
        }
        return topology
    }
}

/// Runs a service until SIGTERM/SIGINT: migrates its schema, declares its queues, then consumes
/// commands and events and relays its outbox. Shutdown goes in the safe order — stop consuming and
/// finish what is in flight, flush the outbox, close the broker connections, close the database.
public enum ServiceRunner {
    /// The entry point of a service executable: reads the environment, runs, exits non-zero with
    /// a plain message when the configuration is wrong.
    public static func main(_ definition: ServiceDefinition) async {
        await runOpsCommandIfAsked(definition)
        let verifier = definition.environment.verifier
        // A service that runs requests must be able to verify their actors (the gateway runs none).
        if !definition.handlers.requests.isEmpty, let problem = verifier.configurationProblem {
            fail(definition.name, ConfigurationError(problem))
        }
        if let warning = verifier.startupWarning { FileHandle.standardError.write(Data("stitch-\(definition.name): \(warning)\n".utf8)) }
        let (configuration, logger) = bootstrap(definition.name)
        do {
            try await run(definition, configuration: configuration, logger: logger)
        } catch {
            logger.critical("stopped: \(error)")
            exit(1)
        }
    }

    /// `stitch-<name> VERB ARGS…` (through `./scripts/run ops SERVICE VERB …`): every executable answers
    /// `dead-letters` and its own `opsCommands`, and `help`; any other argument is refused with the list.
    /// With arguments it never starts serving: an ops command beside a running service must not start a
    /// second one. Returns only when there are no arguments (then the caller serves).
    public static func runOpsCommandIfAsked(_ definition: ServiceDefinition, arguments: [String] = Array(CommandLine.arguments.dropFirst()))
        async
    {
        guard let verb = arguments.first else { return }
        let rest = Array(arguments.dropFirst())
        if verb == "dead-letters" { await DeadLetterCommand.main(definition, arguments: rest) }
        if let command = definition.opsCommands[verb] { await command.main(definition, arguments: rest) }
        let usage = opsUsage(definition)
        if ["help", "--help", "-h"].contains(verb) {
            print(usage)
            exit(0)
        }
        FileHandle.standardError.write(Data("stitch-\(definition.name): no ops command '\(verb)'.\n\(usage)\n".utf8))
        exit(2)
    }

    /// The verbs of `stitch-<name>`, one a line.
    public static func opsUsage(_ definition: ServiceDefinition) -> String {
        let verbs =
            [
                ("", "run the service"),
                (
                    "dead-letters [replay ID | replay --all]",
                    definition.topology.deadLetterQueues.isEmpty
                        ? "list or replay parked messages (\(definition.name) consumes no queue, so none are ever parked)"
                        : "list or replay parked messages"
                ),
            ]
            + definition.opsCommands.keys.sorted().map { ($0, definition.opsCommands[$0]!.summary) }
            + [("help", "this list")]
        let width = verbs.map(\.0.count).max() ?? 0
        return "usage:\n"
            + verbs.map { verb, summary in
                "  stitch-\(definition.name) \(verb.padding(toLength: width, withPad: " ", startingAt: 0))  \(summary)"
            }.joined(separator: "\n")
    }

    /// Reads the service's configuration (exiting with a plain message when it is wrong), sets up
    /// logging and metrics, and returns the configuration and the service's logger.
    public static func bootstrap(_ service: String) -> (ServiceConfiguration, Logger) {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration(service: service)
        } catch {
            fail(service, error)
        }
        Observability.bootstrap(level: configuration.logLevel)
        var logger = Logger(label: "stitch.\(service)")
        logger[metadataKey: "instance"] = .string(configuration.instance)
        return (configuration, logger)
    }

    /// Exits with status 2 and `error` on stderr: for configuration a service cannot start without.
    public static func fail(_ service: String, _ error: any Error) -> Never {
        FileHandle.standardError.write(Data("stitch-\(service): \(error)\n".utf8))
        exit(2)
    }

    /// What a process serves beside its messaging runtime, made once the runtime exists (the gateway:
    /// its HTTP API and the board's feed), and what `/ready` checks of it beyond the runtime's own.
    public struct Companions: Sendable {
        public var services: [any Service]
        public var readiness: OpsServer.ReadinessCheck

        public init(services: [any Service], readiness: @escaping OpsServer.ReadinessCheck = { [:] }) {
            self.services = services
            self.readiness = readiness
        }
    }

    /// Runs until SIGTERM/SIGINT: the database client, the messaging runtime, the ops port, then the
    /// `companions` (stopped in reverse order: companions first, the database last), within the shutdown budget.
    public static func run(
        _ definition: ServiceDefinition, configuration: ServiceConfiguration, logger: Logger,
        companions: (ServiceRuntime) async throws -> Companions = { _ in Companions(services: []) }
    ) async throws {
        ShutdownWatchdog.arm(seconds: configuration.shutdownSeconds, logger: logger)
        let monitor = LoopMonitor(allowance: configuration.loopStall)
        let bus = try AMQPMessageBus(url: configuration.amqpURL, name: configuration.instance, logger: logger, monitor: monitor)
        let client = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
        let runtime = ServiceRuntime(
            definition: definition, client: client, bus: bus, prefetch: configuration.prefetch,
            eventBatch: configuration.eventBatch, eventLinger: configuration.eventLinger,
            commandBatch: configuration.commandBatch,
            policy: RetryPolicy(poisonDeliveries: configuration.poisonDeliveries),
            monitor: monitor, logger: logger)
        let beside = try await companions(runtime)
        var services: [any Service] = [client, runtime]
        if configuration.opsPort > 0 {
            let readiness = runtime.readiness
            services.append(
                OpsServer.application(port: configuration.opsPort, logger: logger) {
                    await readiness().merging(await beside.readiness()) { _, companion in companion }
                })
        }
        let group = ServiceGroup(
            configuration: .init(
                services: (services + beside.services).map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
            .bounded(by: configuration.shutdownSeconds))
        logger.info("starting \(definition.name)")
        try await group.run()
        await bus.shutdown()
        logger.info("\(definition.name) stopped")
    }
}

extension ServiceGroupConfiguration {
    /// Leaves the last few seconds of the shutdown budget for closing the broker connections;
    /// `ShutdownWatchdog` ends the process if even that hangs.
    public func bounded(by seconds: Int) -> ServiceGroupConfiguration {
        var configuration = self
        configuration.maximumGracefulShutdownDuration = .seconds(max(1, seconds - 5))
        configuration.maximumCancellationDuration = .seconds(2)
        return configuration
    }
}

/// The messaging part of a running service, as one lifecycle `Service` (tests run it directly).
public struct ServiceRuntime: Service {
    public let definition: ServiceDefinition
    public let client: PostgresClient
    public let bus: any MessageBus
    public let prefetch: Int
    /// Events handled in one transaction at most (`MessageConsumer.runBatched`); 1: one by one.
    public let eventBatch: Int
    /// How long a small batch of events waits once for more (`MessageConsumer.runBatched`).
    public let eventLinger: Duration
    /// Commands registered `batched` handled in one transaction at most (`MessageProcessor.handleRequests`); 1: one by one.
    public let commandBatch: Int
    public let policy: RetryPolicy
    /// Every loop of this service beats here; `/ready` fails while one is stalled.
    public let monitor: LoopMonitor
    let logger: Logger
    let startupTimeout: Duration

    public init(
        definition: ServiceDefinition, client: PostgresClient, bus: any MessageBus, prefetch: Int = 32,
        eventBatch: Int = 32, eventLinger: Duration = .milliseconds(5), commandBatch: Int = 32, policy: RetryPolicy = RetryPolicy(),
        monitor: LoopMonitor = LoopMonitor(),
        logger: Logger, startupTimeout: Duration = .seconds(120)
    ) {
        self.definition = definition
        self.client = client
        self.bus = bus
        self.prefetch = prefetch
        self.eventBatch = eventBatch
        self.eventLinger = eventLinger
        self.commandBatch = commandBatch
        self.policy = policy
        self.monitor = monitor
        self.logger = logger
        self.startupTimeout = startupTimeout
    }

    public var processor: MessageProcessor {
        MessageProcessor(
            service: definition.name, environment: definition.environment, client: client, bus: bus,
            registry: definition.handlers, logger: logger)
    }

    public var relay: OutboxRelay {
        OutboxRelay(client: client, bus: bus, schema: definition.name, logger: logger, monitor: monitor)
    }

    public func run() async throws {
        let deadline = ContinuousClock.now + startupTimeout
        try await retrying("database migrations", until: deadline) {
            try await Migrator(schema: definition.name, migrations: definition.migrations, logger: logger).migrate(client)
        }
        try await retrying("broker topology", until: deadline) { try await bus.declare(definition.topology) }
        logger.info("\(definition.name) is ready")

        // Consumers stop first (on shutdown) and finish their in-flight messages; only then does the
        // relay get cancelled, so it flushes what they committed.
        let processor = self.processor
        let relay = self.relay
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await relay.run() }
            group.addTask { await Housekeeping(client: client, logger: logger, monitor: monitor).run() }
            group.addTask { await DeadLetterWatch(bus: bus, queues: definition.topology.deadLetterQueues, logger: logger).run() }
            for task in definition.background {
                group.addTask { await task(client, bus, logger, monitor) }
            }
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { consumers in
                    // A service with nothing to consume (the gateway) still runs until shutdown.
                    consumers.addTask { try? await gracefulShutdown() }
                    if !definition.handlers.requests.isEmpty {
                        let handlers = definition.handlers
                        consumers.addTask {
                            // The commands registered `batched` that wait together share a transaction; the rest run
                            // one by one, side by side, as they come.
                            try await MessageConsumer(
                                bus: bus, queue: definition.commandQueue, prefetch: prefetch, policy: policy,
                                logger: logger, monitor: monitor
                            )
                            .runBatched(
                                maxBatch: handlers.batchesRequests ? commandBatch : 1, joins: { handlers.joinsBatch($0) },
                                batch: processor.handleRequests, single: processor.handleRequest)
                        }
                    }
                    if !definition.handlers.events.isEmpty {
                        consumers.addTask {
                            // Events in batches: one transaction and one commit for all the events waiting.
                            try await MessageConsumer(
                                bus: bus, queue: definition.eventQueue, prefetch: prefetch, policy: policy,
                                logger: logger, monitor: monitor
                            )
                            .runBatched(maxBatch: eventBatch, linger: eventLinger, batch: processor.handleEvents, single: processor.handleEvent)
                        }
                    }
                }
            }
            group.cancelAll()  // the relay flushes on cancellation
            try await group.waitForAll()
        }
    }

    /// `/ready`: the database answers, the broker is connected, and no loop is stalled (each stalled
    /// loop is named, with how long it has made no progress).
    public var readiness: OpsServer.ReadinessCheck {
        let client = self.client
        let bus = self.bus
        let monitor = self.monitor
        return {
            let database = (try? await client.rows("SELECT 1", logger: Logger(label: "ready"), deadline: .seconds(2))) != nil
            var checks = ["database": database, "broker": (bus as? AMQPMessageBus)?.isConnected ?? true]
            let stalled = monitor.stalled()
            checks["loops"] = stalled.isEmpty
            for loop in stalled {
                checks["loop \(loop.name) (no progress for \(loop.since.components.seconds) s)"] = false
            }
            return checks
        }
    }

    private func retrying(_ what: String, until deadline: ContinuousClock.Instant, _ body: () async throws -> Void) async throws {
        var backoff = Backoff(base: .milliseconds(200), cap: .seconds(5))
        while true {
            do {
                return try await body()
            } catch {
                let delay = backoff.next()
                if ContinuousClock.now + delay > deadline || Task.isCancelled { throw error }
                logger.warning("\(what) not ready yet (\(error)); retrying in \(delay)")
                try await Task.sleep(for: delay)
            }
        }
    }
}
