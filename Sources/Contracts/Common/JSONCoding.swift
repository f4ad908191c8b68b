import Foundation
import Synchronization

/// The one JSON dialect of Stitch, on the wire and over HTTP: snake_case keys, ISO-8601 UTC
/// timestamps with milliseconds (events are ordered by them), keys sorted so bodies are stable.
/// Keys written in capitals (`CUTTING` in a by-stage map) are values, not names, and stay as they are.
public enum StitchJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in SnakeCaseKey(wireNames(path.last!.stringValue)) }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timestampStyle))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in SnakeCaseKey(swiftNames(path.last!.stringValue)) }
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? timestampStyle.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO-8601 timestamp, got \"\(text)\"")
        }
        return decoder
    }

    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try sharedEncoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try sharedDecoder.decode(type, from: Data(bytes))
    }

    // Configured once: making coders per message showed up in profiles. Both are safe to share.
    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()

    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    // Every key of every message is converted; the conversions walk Characters and showed in profiles
    // (about a tenth of the JSON work), so each name is converted once per process.
    private static let wireNames = KeyNames(snakeCase)
    private static let swiftNames = KeyNames(camelCase)

    /// A Swift property name as it is written on the wire (`perPage` → `per_page`).
    public static func wireName(_ key: String) -> String { wireNames(key) }
}

/// A key-name conversion, remembered (up to a bound: dictionary keys are data and could be anything).
final class KeyNames: Sendable {
    private let convert: @Sendable (String) -> String
    private let known = Mutex<[String: String]>([:])

    init(_ convert: @escaping @Sendable (String) -> String) { self.convert = convert }

    func callAsFunction(_ key: String) -> String {
        if let name = known.withLock({ $0[key] }) { return name }
        let name = convert(key)
        known.withLock { if $0.count < 4_096 { $0[key] = name } }
        return name
    }
}

struct SnakeCaseKey: CodingKey {
    var stringValue: String
    var intValue: Int? { Int(stringValue) }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue) }
}

/// `perPage` → `per_page`; `CUTTING` and `per_page` stay.
func snakeCase(_ key: String) -> String {
    guard key.contains(where: \.isLowercase) else { return key }
    var result = ""
    for (index, char) in key.enumerated() {
        if char.isUppercase {
            if index > 0 { result.append("_") }
            result += char.lowercased()
        } else {
            result.append(char)
        }
    }
    return result
}

/// `per_page` → `perPage`; `CUTTING` stays.
func camelCase(_ key: String) -> String {
    guard key.contains("_"), key.contains(where: \.isLowercase) else { return key }
    let parts = key.split(separator: "_", omittingEmptySubsequences: true)
    guard let first = parts.first else { return key }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}
