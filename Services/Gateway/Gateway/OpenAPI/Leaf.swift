import Contracts
import Foundation

/// The values JSON carries as one scalar: their schema as a body may send them (with the text rules
/// of `InputRules`), as a reply writes them, and a sample to decode a type from nothing.
struct Leaf {
    var schema: JSONValue
    var outputSchema: JSONValue
    var sample: Any

    /// Text that is not free text: one line, no control characters (InputRules.textProblem).
    static let linePattern = #"^[^\u0000-\u001F\u007F-\u009F]*$"#
    /// Free text (notes, reasons) may hold line breaks and tabs.
    static let freeTextPattern = #"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"#

    /// `YYYY-MM-DD` exactly within the window around today a client may send (InputRules.dateWindow), so
    /// every date the pattern allows is accepted and every other refused. The document is rendered again
    /// when the factory's day changes (`OpenAPIDocument.serve`), and the pattern moves with it.
    static var datePattern: String { datePattern(InputRules.dateWindow(around: InputRules.today)) }

    static func datePattern(_ window: ClosedRange<LocalDate>) -> String {
        func numbers(_ range: ClosedRange<Int>) -> String {
            "(" + range.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: "|") + ")"
        }
        /// `MM-DD` of the months in `months`, each with its own days (February to the 28th: a 29th is left
        /// to the check, which knows leap years).
        func days(_ months: ClosedRange<Int>, from first: Int = 1, to last: Int = 31) -> [String] {
            months.map { month in
                let length = month == 2 ? 28 : [4, 6, 9, 11].contains(month) ? 30 : 31
                return numbers(month...month) + "-" + numbers(max(first, 1)...min(last, length))
            }
        }
        let (low, high) = (window.lowerBound, window.upperBound)
        var from = days(low.month...low.month, from: low.day)
        if low.month < 12 { from += days(low.month + 1...12) }
        var to = days(high.month...high.month, to: high.day)
        if high.month > 1 { to += days(1...high.month - 1) }
        var alternatives = ["\(low.year)-(" + from.joined(separator: "|") + ")", "\(high.year)-(" + to.joined(separator: "|") + ")"]
        if high.year - low.year > 1 {
            alternatives.insert(numbers(low.year + 1...high.year - 1) + "-(" + days(1...12).joined(separator: "|") + ")", at: 1)
        }
        return "^(" + alternatives.joined(separator: "|") + ")$"
    }

    static func of(_ type: Any.Type, field: String?) -> Leaf? {
        switch type {
        case is String.Type: return text(field: field)
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type:
            return same(["type": "integer", "format": "int64"], sample: sampleInteger(type))
        case is Int8.Type, is Int16.Type, is UInt8.Type, is UInt16.Type:
            return same(["type": "integer"], sample: sampleInteger(type))
        case is Double.Type: return same(["type": "number", "format": "double"], sample: 1.0)
        case is Float.Type: return same(["type": "number", "format": "float"], sample: Float(1))
        case is Decimal.Type: return same(["type": "number"], sample: Decimal(1))
        case is Bool.Type: return same(["type": "boolean"], sample: false)
        case is LocalDate.Type:
            // A date has no minimum/maximum in JSON Schema: the window is in the pattern's years and the description.
            return Leaf(
                schema: [
                    "type": "string", "format": "date", "pattern": .string(datePattern),
                    "description": .string(InputRules.dateRuleDescription),
                ],
                outputSchema: ["type": "string", "format": "date"], sample: LocalDate("2026-01-28")!)
        case is Date.Type: return same(["type": "string", "format": "date-time"], sample: Date(timeIntervalSince1970: 1_769_558_400))
        case is UUID.Type: return same(["type": "string", "format": "uuid"], sample: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!)
        default:
            guard let enumeration = type as? any CaseIterable.Type, let cases = enumCases(enumeration), let first = cases.first else {
                return nil
            }
            return same(["type": "string", "enum": .array(cases.map { .string($0.raw) })], sample: first.value)
        }
    }

    private static func same(_ schema: JSONValue, sample: Any) -> Leaf { Leaf(schema: schema, outputSchema: schema, sample: sample) }

    private static func text(field: String?) -> Leaf {
        let free = field.map { InputRules.freeTextFields.contains($0) } ?? false
        let input: JSONValue = [
            "type": "string", "maxLength": .int(free ? InputRules.maxFreeTextLength : InputRules.maxTextLength),
            "pattern": .string(free ? freeTextPattern : linePattern),
        ]
        return Leaf(schema: input, outputSchema: ["type": "string"], sample: "A")
    }

    private static func sampleInteger(_ type: Any.Type) -> Any {
        switch type {
        case is Int64.Type: Int64(1)
        case is Int32.Type: Int32(1)
        case is Int16.Type: Int16(1)
        case is Int8.Type: Int8(1)
        case is UInt.Type: UInt(1)
        case is UInt64.Type: UInt64(1)
        case is UInt32.Type: UInt32(1)
        case is UInt16.Type: UInt16(1)
        case is UInt8.Type: UInt8(1)
        default: 1
        }
    }

    /// The cases of an enum with text raw values (`Stage`), each with its raw value; nil for any other.
    private static func enumCases<E: CaseIterable>(_ type: E.Type) -> [(raw: String, value: Any)]? {
        let cases = E.allCases.compactMap { value -> (raw: String, value: Any)? in
            guard let raw = (value as? any RawRepresentable)?.rawValue as? String else { return nil }
            return (raw, value)
        }
        return cases.isEmpty ? nil : cases
    }
}
