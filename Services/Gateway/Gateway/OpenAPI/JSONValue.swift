import Foundation

/// A JSON value, for building the API document (schemas nest arbitrarily; `[String: Any]` would
/// give up type safety and `Sendable`).
enum JSONValue: Sendable, Hashable, Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(elements, uniquingKeysWith: { $1 })) }

    /// A number as JSON writes it best: whole numbers without a fraction.
    static func number(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 9e15 ? .int(Int(value)) : .double(value)
    }

    subscript(key: String) -> JSONValue? {
        get { if case .object(let fields) = self { fields[key] } else { nil } }
        set {
            guard case .object(var fields) = self else { return }
            fields[key] = newValue
            self = .object(fields)
        }
    }

    var stringValue: String? { if case .string(let text) = self { text } else { nil } }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Pretty, sorted JSON (stable, so the document diffs well).
    func serialized() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Every `$ref` rewritten by `transform` (the document names components only once it has all of them).
    func rewritingReferences(_ transform: (String) -> String) -> JSONValue {
        switch self {
        case .object(let fields):
            var result: [String: JSONValue] = [:]
            for (key, value) in fields {
                if key == "$ref", case .string(let target) = value {
                    result[key] = .string(transform(target))
                } else {
                    result[key] = value.rewritingReferences(transform)
                }
            }
            return .object(result)
        case .array(let items):
            return .array(items.map { $0.rewritingReferences(transform) })
        default:
            return self
        }
    }
}
