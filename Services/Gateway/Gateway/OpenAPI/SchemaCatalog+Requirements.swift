import Contracts
import Foundation

/// What a body's checks demand beyond its Swift type, learnt by running them: a field the type lets be
/// absent but the checks refuse when it is (`reason` of a hold) is `required`; a text they refuse empty
/// has `minLength: 1`; a list they refuse empty has `minItems: 1`, and one they refuse past some length
/// has that `maxItems`. So a client generated from the document sends what the gateway accepts, and the
/// rule stays written once, in the check. Top-level fields only; a field the sample already fails is
/// left alone (its rule depends on values the probe cannot choose).
struct RequirementProbe {
    struct Found: Equatable {
        var required: [String] = []
        var minLength: [String] = []
        var minItems: [String] = []
        var maxItems: [String: Int] = [:]
        /// Texts refused past some length shorter than the general text limit.
        var maxLength: [String: Int] = [:]
    }

    static func probe<T: Decodable>(_ type: T.Type, sample: T) -> Found {
        var found = Found()
        guard let bounded = sample as? any BoundedInput, let encodable = sample as? any Encodable,
            let bytes = try? StitchJSON.encode(encodable),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return found }
        let baseline = Set(bounded.inputProblems.map(\.field))
        /// The fields the checks name for `object` changed by `change`; nil when it no longer decodes.
        func refused(_ change: (inout [String: Any]) -> Void) -> Set<String>? {
            var copy = object
            change(&copy)
            guard let data = try? JSONSerialization.data(withJSONObject: copy),
                let value = try? StitchJSON.decode(T.self, from: Array(data)) as? any BoundedInput
            else { return nil }
            return Set(value.inputProblems.map(\.field))
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !baseline.contains(key) {
            if refused({ $0[key] = nil })?.contains(key) == true { found.required.append(key) }
            if value is String, refused({ $0[key] = "" })?.contains(key) == true { found.minLength.append(key) }
            // (Up to the longest text any field takes: past it, the general text rule refuses anyway.)
            if value is String,
                let limit = largestAccepted(
                    upTo: InputRules.maxFreeTextLength + 1,
                    { count in
                        refused { $0[key] = String(repeating: "A", count: count) }?.contains(key) == false
                    })
            {
                found.maxLength[key] = limit
            }
            if let items = value as? [Any], let item = items.first {
                if refused({ $0[key] = [Any]() })?.contains(key) == true { found.minItems.append(key) }
                if let limit = largestAccepted({ count in refused { $0[key] = Array(repeating: item, count: count) }?.contains(key) == false }) {
                    found.maxItems[key] = limit
                }
            }
        }
        return found
    }

    /// The largest count up to `limit` that `accepts`, when a larger one does not (nil: no limit seen).
    static func largestAccepted(upTo limit: Int = 100_000, _ accepts: (Int) -> Bool) -> Int? {
        var low = 1
        var high = 2
        while high <= limit, accepts(high) { (low, high) = (high, high * 4) }
        guard high <= limit || !accepts(limit) else { return nil }
        high = min(high, limit)
        while high - low > 1 {
            let middle = (low + high) / 2
            if accepts(middle) { low = middle } else { high = middle }
        }
        return low
    }
}

extension SchemaCatalog {
    /// `schema` (an input object) with what the probe found.
    static func applying(_ found: RequirementProbe.Found, to schema: JSONValue) -> JSONValue {
        var schema = schema
        var required: [String] = []
        if case .array(let names)? = schema["required"] { required = names.compactMap(\.stringValue) }
        for key in found.required where schema["properties"]?[key] != nil && !required.contains(key) { required.append(key) }
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        for key in found.minLength where schema["properties"]?[key]?["$ref"] == nil && schema["properties"]?[key] != nil {
            schema["properties"]?[key]?["minLength"] = .int(1)
        }
        // (A text refused when it holds only spaces is not written as a pattern: a generator given one that
        // demands a non-space character among thousands allowed gives up. The 400 says so.)
        for key in found.minItems where schema["properties"]?[key] != nil { schema["properties"]?[key]?["minItems"] = .int(1) }
        for (key, limit) in found.maxLength {
            if case .int(let current)? = schema["properties"]?[key]?["maxLength"], current <= limit { continue }
            if schema["properties"]?[key] != nil, schema["properties"]?[key]?["$ref"] == nil {
                schema["properties"]?[key]?["maxLength"] = .int(limit)
            }
        }
        for (key, limit) in found.maxItems where schema["properties"]?[key] != nil {
            schema["properties"]?[key]?["maxItems"] = .int(limit)
        }
        return schema
    }
}
