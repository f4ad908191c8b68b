// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Stitch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Contracts", targets: ["Contracts"]),
        .library(name: "Messaging", targets: ["Messaging"]),
        .library(name: "ServiceKit", targets: ["ServiceKit"]),
        .executable(name: "stitch-gateway", targets: ["GatewayMain"]),
        .executable(name: "stitch-production", targets: ["ProductionMain"]),
        .executable(name: "stitch-ppic", targets: ["PPICMain"]),
        .executable(name: "stitch-approval", targets: ["ApprovalMain"]),
        .executable(name: "stitch-bomfinance", targets: ["BOMFinanceMain"]),
        .executable(name: "stitch-warehouse", targets: ["WarehouseMain"]),
        .executable(name: "stitch-quality", targets: ["QualityMain"]),
        .executable(name: "stitch-bench", targets: ["StitchBench"]),
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
        // Services: a library (domain, handlers, store; tests import it) and a thin executable each.
        .target(
            name: "Gateway",
            dependencies: [
                "ServiceKit", "Messaging", "Contracts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Gateway/Gateway"
        ),
        .executableTarget(name: "GatewayMain", dependencies: ["Gateway"], path: "Services/Gateway/Main"),
        .target(
            name: "Production",
            dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Services/Production/Production"
        ),
        .executableTarget(name: "ProductionMain", dependencies: ["Production"], path: "Services/Production/Main"),
        .target(
            name: "PPIC",
            dependencies: [
                "ServiceKit", "Messaging", "Contracts",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Services/PPIC/PPIC"
        ),
        .executableTarget(name: "PPICMain", dependencies: ["PPIC"], path: "Services/PPIC/Main"),
        .target(
            name: "Approval",
            dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Services/Approval/Approval"
        ),
        .executableTarget(name: "ApprovalMain", dependencies: ["Approval"], path: "Services/Approval/Main"),
        .target(
            name: "BOMFinance",
            dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Services/BOMFinance/BOMFinance"
        ),
        .executableTarget(name: "BOMFinanceMain", dependencies: ["BOMFinance"], path: "Services/BOMFinance/Main"),
        .target(
            name: "Warehouse",
            dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Services/Warehouse/Warehouse"
        ),
        .executableTarget(name: "WarehouseMain", dependencies: ["Warehouse"], path: "Services/Warehouse/Main"),
        .target(
            name: "Quality",
            dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Services/Quality/Quality"
        ),
        .executableTarget(name: "QualityMain", dependencies: ["Quality"], path: "Services/Quality/Main"),
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
        .testTarget(name: "ProductionTests", dependencies: ["Production", "Contracts"]),
        .testTarget(name: "ApprovalTests", dependencies: ["Approval", "Contracts", "ServiceKit"]),
        .testTarget(name: "BOMFinanceTests", dependencies: ["BOMFinance", "Contracts"]),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "Contracts", "ServiceKit", "Messaging"]),
        .testTarget(name: "QualityTests", dependencies: ["Quality", "Contracts"]),
        .testTarget(name: "PPICTests", dependencies: ["PPIC", "Contracts", "ServiceKit"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "Contracts"]),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: ["ServiceKit", "Messaging", "Contracts", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Messaging", "ServiceKit", "Contracts", "Gateway", "Production", "PPIC", "Approval", "BOMFinance", "Warehouse",
                "Quality",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
