import Foundation

/// A missing or invalid setting, said the way an operator needs to hear it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads settings from the process environment (or a dictionary in tests) with clear errors.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ name: String, default fallback: String? = nil, help: String = "") throws -> String {
        if let value = values[name], !value.isEmpty { return value }
        if let fallback { return fallback }
        throw ConfigurationError("\(name) is not set\(help.isEmpty ? "" : ": \(help)")")
    }

    public func optional(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = optional(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return value
    }

    /// A time zone by its name (`Asia/Jakarta`).
    public func timeZone(_ name: String, default fallback: String) throws -> TimeZone {
        let zoneName = try string(name, default: fallback)
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ConfigurationError("\(name) \"\(zoneName)\" is not a time zone name (e.g. Asia/Jakarta)")
        }
        return zone
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = optional(name)?.lowercased() else { return fallback }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(name) must be true or false, got \"\(text)\"")
        }
    }
}
