import Contracts
import Foundation

/// The JSON Schemas of the API, learnt from the Swift types the gateway decodes and encodes — so the
/// document says what the code does and cannot drift from it. A request body's schema comes from
/// decoding its type from nothing (`ShapeDecoder`: every key the type asks for, required or not, and
/// the type of each); a reply's from encoding a sample of it (`ShapeEncoder`), since what a service
/// writes back can differ from what it reads. Bounds come from the checks themselves (`BoundsRecorder`).
/// Named types become components; an input and an output of the same name are told apart.
final class SchemaCatalog: @unchecked Sendable {  // built once, by one task, before the document is rendered
    enum Side: String { case input, output }

    private(set) var components: [Side: [String: JSONValue]] = [.input: [:], .output: [:]]
    private var samples: [ObjectIdentifier: Any] = [:]
    private var inputSchemas: [ObjectIdentifier: JSONValue] = [:]
    private var building: Set<String> = []

    // MARK: Inputs

    /// What a body of type `T` may hold, and a sample of it (every optional present, one item per array).
    func input<T: Decodable>(_ type: T.Type) throws -> JSONValue {
        try describeInput(type, field: nil).schema
    }

    /// A value of `T` as the decoder learnt it; used to sample replies and to run a request's checks.
    func sample<T: Decodable>(_ type: T.Type) throws -> T {
        try describeInput(type, field: nil).sample
    }

    func describeInput<T: Decodable>(_ type: T.Type, field: String?) throws -> (schema: JSONValue, sample: T) {
        if let leaf = Leaf.of(type, field: field) { return (leaf.schema, leaf.sample as! T) }
        if let dictionary = type as? any StringKeyedDictionary.Type {
            return (try dictionary.valueInputSchema(self), dictionary.emptySample as! T)
        }
        let id = ObjectIdentifier(type)
        if let schema = inputSchemas[id], let sample = samples[id] as? T { return (schema, sample) }
        let name = componentName(type)
        guard building.insert("input:" + name).inserted else { throw SchemaError.recursive(name) }
        defer { building.remove("input:" + name) }
        let node = ShapeNode()
        let sample = try T(from: ShapeDecoder(node: node, catalog: self, codingPath: []))
        let schema = register(node, name: name, side: .input)
        if node.kind == .object {  // a named type: later uses refer to it
            inputSchemas[id] = schema
            samples[id] = sample
            if let bounded = sample as? any BoundedInput { applyBounds(BoundsRecorder.bounds(of: bounded), to: name) }
            if let component = components[.input]?[name] {
                components[.input]?[name] = Self.applying(RequirementProbe.probe(type, sample: sample), to: component)
            }
        }
        return (schema, sample)
    }

    // MARK: Outputs

    /// What a reply of type `T` looks like, learnt by encoding a sample (from `DocumentedSample`, or
    /// decoded from nothing).
    func output<T: Encodable>(_ type: T.Type) throws -> JSONValue {
        try describeOutput(try outputSample(type), field: nil)
    }

    func outputSample<T: Encodable>(_ type: T.Type) throws -> T {
        if let documented = type as? any DocumentedSample.Type { return try documented.documentationSample(self) as! T }
        if let decodable = type as? any Decodable.Type { return try sample(decodable) as! T }
        throw SchemaError.noSample(Self.name(of: type))
    }

    func describeOutput(_ value: some Encodable, field: String?) throws -> JSONValue {
        let type = Swift.type(of: value)
        if let leaf = Leaf.of(type, field: field) { return leaf.outputSchema }
        if let dictionary = type as? any StringKeyedDictionary.Type { return try dictionary.valueOutputSchema(self) }
        let name = componentName(type)
        // Known (or being described: a type that contains itself) — refer to it.
        if components[.output]?[name] != nil || !building.insert("output:" + name).inserted { return Self.reference(.output, name) }
        defer { building.remove("output:" + name) }
        let node = ShapeNode()
        try value.encode(to: ShapeEncoder(node: node, catalog: self, codingPath: []))
        return register(node, name: name, side: .output)
    }

    // MARK: Shared

    /// A node as a schema: an object becomes the component `name` and a reference to it.
    private func register(_ node: ShapeNode, name: String, side: Side) -> JSONValue {
        switch node.kind {
        case .object:
            var schema: JSONValue = ["type": "object", "properties": .object(node.properties)]
            let required = node.propertyOrder.filter { node.required.contains($0) }
            if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
            components[side, default: [:]][name] = schema
            return Self.reference(side, name)
        case .array:
            return ["type": "array", "items": node.item ?? [:]]
        case .value:
            return node.value ?? [:]
        case .none:
            return [:]
        }
    }

    /// Bounds found by running a type's checks, put on the properties they name (`lines[0].qty`).
    private func applyBounds(_ bounds: [BoundsRecorder.Bound], to component: String) {
        for bound in bounds {
            let steps = bound.field.replacingOccurrences(of: "[", with: ".[").split(separator: ".").map(String.init)
            guard var schema = components[.input]?[component] else { continue }
            if let updated = applying(bound, along: ArraySlice(steps), to: &schema) {
                components[.input]?[component] = updated
            }
        }
    }

    /// `schema` with `bound` set at the end of `steps`; components met on the way are updated in place.
    private func applying(_ bound: BoundsRecorder.Bound, along steps: ArraySlice<String>, to schema: inout JSONValue) -> JSONValue? {
        if let target = schema["$ref"]?.stringValue, let name = target.split(separator: ":").last.map(String.init),
            var component = components[.input]?[name]
        {
            if let updated = applying(bound, along: steps, to: &component) { components[.input]?[name] = updated }
            return nil
        }
        guard let step = steps.first else {
            if let minimum = bound.minimum { schema[bound.exclusiveMinimum ? "exclusiveMinimum" : "minimum"] = .number(minimum) }
            if let maximum = bound.maximum { schema["maximum"] = .number(maximum) }
            if let scale = bound.scale, !bound.whole, scale > 0 { schema["multipleOf"] = .double(pow(10, Double(-scale))) }
            if let pattern = bound.pattern { schema["pattern"] = .string(pattern) }
            return schema
        }
        if step.hasPrefix("[") {
            guard var items = schema["items"], let updated = applying(bound, along: steps.dropFirst(), to: &items) else { return nil }
            schema["items"] = updated
            return schema
        }
        guard var property = schema["properties"]?[step], let updated = applying(bound, along: steps.dropFirst(), to: &property) else {
            return nil
        }
        schema["properties"]?[step] = updated
        return schema
    }

    /// A component name for `type`, unique across the document: its own name (`Page<SPK>` → `PageSPK`),
    /// or with its enclosing type's name when another type has that name already (`MobileBatchBodyItem`).
    private func componentName(_ type: Any.Type) -> String {
        let id = ObjectIdentifier(type)
        if let known = names[id] { return known }
        var name = Self.name(of: type)
        if takenNames.contains(name) { name = Self.name(of: type, qualified: true) }
        while takenNames.contains(name) { name += "_" }
        names[id] = name
        takenNames.insert(name)
        return name
    }
    private var names: [ObjectIdentifier: String] = [:]
    private var takenNames: Set<String> = []

    /// A provisional reference; `OpenAPIDocument` turns it into `#/components/schemas/…` once every name is known.
    static func reference(_ side: Side, _ name: String) -> JSONValue { ["$ref": .string("\(side.rawValue):\(name)")] }

    /// `Page<SPK>` → `PageSPK`; a type nested in another is named with it (`MobileBatchBodyItem`),
    /// except in a controller or another namespace (`ReasonBody`); `qualified` adds the parent always.
    static func name(of type: Any.Type, qualified: Bool = false) -> String {
        let full = String(reflecting: type)
        let generic = full.split(separator: "<", maxSplits: 1)
        let parts = generic[0].split(separator: ".").dropFirst().map(String.init)  // without the module
        let namespace = parts.count >= 2 && (parts[parts.count - 2].hasSuffix("Controller") || parts[parts.count - 2].hasSuffix("Responses"))
        let base = parts.count >= 2 && (qualified || !namespace) ? parts.suffix(2).joined() : parts.last ?? ""
        guard generic.count > 1 else { return base }
        let arguments = generic[1].dropLast().split(separator: ",").map {
            String($0.trimmingCharacters(in: .whitespaces).split(separator: ".").last ?? "")
        }
        return base + arguments.joined()
    }

    /// The final component names: an output keeps its type's name; an input takes it too unless an
    /// output already has it, then it is `<Name>Input`.
    func resolvedComponents() -> (schemas: [String: JSONValue], rename: (String) -> String) {
        let outputs = components[.output] ?? [:]
        let inputs = components[.input] ?? [:]
        let rename: (String) -> String = { target in
            let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return target }
            let name =
                parts[0] == Side.input.rawValue && outputs[parts[1]] != nil && inputs[parts[1]] != outputs[parts[1]]
                ? parts[1] + "Input" : parts[1]
            return "#/components/schemas/\(name)"
        }
        var schemas: [String: JSONValue] = [:]
        for (name, schema) in outputs { schemas[name] = schema.rewritingReferences(rename) }
        for (name, schema) in inputs {
            let final = String(rename("input:\(name)").split(separator: "/").last!)
            schemas[final] = schema.rewritingReferences(rename)
        }
        return (schemas, rename)
    }
}

enum SchemaError: Error, CustomStringConvertible {
    case noSample(String)
    case recursive(String)
    var description: String {
        switch self {
        case .noSample(let name): "\(name) is not Decodable: give it a DocumentedSample to describe its replies"
        case .recursive(let name): "\(name) contains itself; a body cannot be sampled"
        }
    }
}

/// A reply type the catalogue cannot decode from nothing (it only encodes, like a view over a
/// contract type): it supplies a sample to be encoded.
protocol DocumentedSample {
    static func documentationSample(_ catalog: SchemaCatalog) throws -> Self
}

/// `[String: Value]`: a JSON object with any keys (by-stage maps and the like).
protocol StringKeyedDictionary {
    static var emptySample: Self { get }
    static func valueInputSchema(_ catalog: SchemaCatalog) throws -> JSONValue
    static func valueOutputSchema(_ catalog: SchemaCatalog) throws -> JSONValue
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Codable {
    static var emptySample: Self { [:] }
    static func valueInputSchema(_ catalog: SchemaCatalog) throws -> JSONValue {
        ["type": "object", "additionalProperties": try catalog.describeInput(Value.self, field: nil).schema]
    }
    static func valueOutputSchema(_ catalog: SchemaCatalog) throws -> JSONValue {
        ["type": "object", "additionalProperties": try catalog.describeOutput(try catalog.sample(Value.self), field: nil)]
    }
}
