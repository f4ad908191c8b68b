import Contracts
import Foundation
import Testing

/// Issue 23, item 6: every executable answers the same ops verbs and never starts serving from one
/// (`./scripts/run ops gateway dead-letters` used to start a second gateway). Runs the built executables.
@Suite("Ops verbs of every executable")
struct OpsVerbTests {
    /// The debug executables `swift build` made beside this test bundle.
    static func executable(_ service: ServiceName) -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/stitch-\(service.rawValue)")
    }

    /// Runs it with `arguments` and a development environment of nothing else; nil when it is still running
    /// after 20 s (it started serving).
    static func run(_ service: ServiceName, _ arguments: [String]) async throws -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = executable(service)
        process.arguments = arguments
        process.environment = ["STITCH_ENV": "development", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    @Test(
        "an unknown verb is refused with the list of verbs; help lists them; none starts a server",
        arguments: ServiceName.allCases)
    func verbs(_ service: ServiceName) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.executable(service).path),
            "build the executables first (swift build)")
        let unknown = try #require(try await Self.run(service, ["no-such-verb"]), "stitch-\(service) started serving")
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("no ops command 'no-such-verb'") && unknown.output.contains("dead-letters"), "\(unknown.output)")
        let help = try #require(try await Self.run(service, ["help"]), "stitch-\(service) help started serving")
        #expect(help.status == 0 && help.output.contains("stitch-\(service.rawValue) dead-letters"), "\(help.output)")
        if service == .ppic { #expect(help.output.contains("rebuild")) }
        if service == .warehouse { #expect(help.output.contains("verify") && help.output.contains("seed")) }
    }

    @Test("the gateway's dead-letters says it has none, instead of starting a second gateway")
    func gatewayDeadLetters() async throws {
        let reply = try #require(try await Self.run(.gateway, ["dead-letters"]), "stitch-gateway dead-letters started serving")
        #expect(reply.status == 0 && reply.output.contains("consumes no queue"), "\(reply.output)")
    }
}
