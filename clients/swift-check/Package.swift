// swift-tools-version: 6.0
// A client generated from the gateway's /openapi.json with swift-openapi-generator, as a web or
// mobile team would generate theirs — proof that the document is precise enough to build on.
// `./scripts/client-check` fetches the document from a running gateway into
// Sources/StitchClientCheck/openapi.json, builds this package and runs it against that gateway.
import PackageDescription

let package = Package(
    name: "stitch-client-check",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
    ],
    targets: [
        .executableTarget(
            name: "StitchClientCheck",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        )
    ]
)
