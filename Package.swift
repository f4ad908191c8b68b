// swift-tools-version: 6.2
import PackageDescription

/// A Stitch service: a library under `Services/<name>/<name>` (domain, handlers, store; tests import it), a thin
/// executable `stitch-<lower-case name>` from `Services/<name>/Main`, and unit tests in `Tests/<name>Tests`.
/// The lower-case name is the service's name everywhere else: `ServiceName`, its schema, queues, broker user.
struct StitchService {
    var name: String
    /// What its library needs beyond what every service's does.
    var dependencies: [Target.Dependency] = []
    var unitTests = true

    var executable: String { "stitch-\(name.lowercased())" }
}

func service(_ name: String, unitTests: Bool = true, dependencies: [Target.Dependency] = []) -> StitchService {
    StitchService(name: name, dependencies: dependencies, unitTests: unitTests)
}

/// What the gateway's library needs beyond what every service's does: the HTTP server, sign-in, tokens.
let gatewayDependencies: [Target.Dependency] = [
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
    .product(name: "JWTKit", package: "jwt-kit"),
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
]

// The services, in start order: the one list of them. scripts/lib/services prints the names of the
// `service("…")` lines for scripts/lib/common.sh (STITCH_SERVICES) and compose/Dockerfile; ServiceName,
// compose/compose.yaml and compose/.env.example are held to it by Tests/ContractsTests/ServiceListTests.swift,
// and the integration tests' stack refuses to start without a runtime for each of ServiceName's cases.
// Keep each `service("Name"…` on one line: that is how they are read (scripts/lib/services, ServiceListTests).
let services = [
    service("Gateway", unitTests: false, dependencies: gatewayDependencies),
    service("Production"),
    service("PPIC", dependencies: [.product(name: "Metrics", package: "swift-metrics")]),
    service("Approval"),
    service("Warehouse"),
    service("BOMFinance"),
    service("Quality"),
]

let package = Package(
    name: "Stitch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Contracts", targets: ["Contracts"]),
        .library(name: "Messaging", targets: ["Messaging"]),
        .library(name: "ServiceKit", targets: ["ServiceKit"]),
    ] + services.map { .executable(name: $0.executable, targets: ["\($0.name)Main"]) } + [
        .executable(name: "stitch-bench", targets: ["StitchBench"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // librabbitmq (rabbitmq-c) from the system; Debian 12 ships 0.11 with flat headers.
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Sources/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .target(name: "Contracts"),
        .target(
            name: "Messaging",
            dependencies: [
                "CRabbitMQ", "Contracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Messaging", "Contracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
        + services.flatMap { service -> [Target] in
            [
                .target(
                    name: service.name,
                    dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio")]
                        + service.dependencies,
                    path: "Services/\(service.name)/\(service.name)"),
                .executableTarget(name: "\(service.name)Main", dependencies: [.target(name: service.name)], path: "Services/\(service.name)/Main"),
            ]
                + (service.unitTests
                    ? [
                        .testTarget(
                            name: "\(service.name)Tests", dependencies: [.target(name: service.name), "Contracts", "ServiceKit", "Messaging"])
                    ] : [])
        } + [
            .executableTarget(
                name: "StitchBench",
                dependencies: [
                    "Messaging", "ServiceKit", "Contracts", "Gateway", "Production", "PPIC", "BOMFinance", "Warehouse",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ]
            ),
            .testTarget(name: "ContractsTests", dependencies: ["Contracts"]),
            .testTarget(name: "MessagingTests", dependencies: ["Messaging", "Contracts"]),
            .testTarget(
                name: "ServiceKitTests",
                dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "Crypto", package: "swift-crypto")]
            ),
            .testTarget(
                name: "IntegrationTests",
                dependencies: [
                    "Messaging", "ServiceKit", "Contracts",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "Crypto", package: "swift-crypto"),
                ] + services.map { .target(name: $0.name) }
            ),
        ]
)

// Zero warnings in our own code, kept so: every warning in our targets fails the build, in every
// configuration and for ./scripts/test, ./scripts/run and CI alike. SwiftPM applies this to the root
// package only (SE-0480), so dependencies still build with their warnings, unlike
// `-Xswiftc -warnings-as-errors`, which would reach them too and rebuild them whenever it is toggled.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
}
