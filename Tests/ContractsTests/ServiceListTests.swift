import Contracts
import Foundation
import Testing

/// The services are listed once, in Package.swift (its `service("…")` lines); the scripts and the image
/// read that list. What cannot read it is held to it here, each failure naming the file and the service.
@Suite struct ServiceListTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appending(path: path), encoding: .utf8)
    }

    /// The lower-case names of `pattern`'s first group in `text`.
    static func names(_ pattern: String, in text: String) throws -> Set<String> {
        let expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        return Set(
            expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
                Range(match.range(at: 1), in: text).map { text[$0].lowercased() }
            })
    }

    /// The list: the services Package.swift declares, lower-cased.
    static func listed() throws -> Set<String> {
        try names(#"^\s*service\("([A-Za-z0-9]+)""#, in: text("Package.swift"))
    }

    /// Expects `found` (in `file`) to be the list; else names the file, what it lacks and what it has beyond it.
    static func expectListed(_ found: Set<String>, in file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let listed = try listed()
        var problems: [String] = []
        if !listed.subtracting(found).isEmpty { problems.append("lacks \(listed.subtracting(found).sorted())") }
        if !found.subtracting(listed).isEmpty { problems.append("has \(found.subtracting(listed).sorted()), which Package.swift does not list") }
        #expect(problems.isEmpty, "\(file) \(problems.joined(separator: " and "))", sourceLocation: sourceLocation)
    }

    @Test func packageListsTheServices() throws {
        #expect(try Self.listed().count >= 7)
    }

    @Test func serviceNameHasACaseForEveryService() throws {
        let found = Set(ServiceName.allCases.map(\.rawValue))
        try Self.expectListed(found, in: "Sources/Contracts/Common/Message.swift (ServiceName)")
    }

    @Test func composeRunsEveryService() throws {
        let found = try Self.names(#"^\s*command: \["stitch-([a-z0-9]+)"\]"#, in: Self.text("compose/compose.yaml"))
        try Self.expectListed(found, in: "compose/compose.yaml (command: [\"stitch-…\"])")
    }

    @Test(arguments: ["STITCH_([A-Z0-9]+)_REPLICAS", "STITCH_AMQP_PASSWORD_([A-Z0-9]+)", "STITCH_DB_PASSWORD_([A-Z0-9]+)"])
    func envExampleSetsEveryServicesSettings(_ setting: String) throws {
        let found = try Self.names("^\(setting)=", in: Self.text("compose/.env.example"))
        try Self.expectListed(found, in: "compose/.env.example (\(setting))")
    }

    @Test(arguments: ["scripts/lib/common.sh", "compose/Dockerfile"])
    func scriptsReadTheList(_ file: String) throws {
        #expect(try Self.text(file).contains("scripts/lib/services"), "\(file) should read the services from scripts/lib/services")
    }
}
