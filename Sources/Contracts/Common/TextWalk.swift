/// Finds every text of an `Encodable` value by encoding it: each string it would write is checked with
/// `InputRules.textProblem` under its wire path (`entries[3].notes`), and each date with `InputRules.dateProblem`.
/// One walk for every type, present and future, like the `Mirror` walk it replaces — which read each
/// field's type metadata anew on every call and cost the gateway a tenth of its CPU per daily input.
struct TextWalk {
    /// Where the problems go: shared by the encoders of one walk.
    final class Findings {
        var problems: [FieldError] = []
    }

    static func problems(in value: some Encodable, path: String) -> [FieldError] {
        let findings = Findings()
        // Encoding into this encoder cannot fail by itself; a value's own encode(to:) that throws ends its part of the walk.
        try? value.encode(to: TextWalkEncoder(findings: findings, path: path))
        return findings.problems
    }
}

private struct TextWalkEncoder: Encoder {
    let findings: TextWalk.Findings
    let path: String

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedTexts<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedTexts(encoder: self) }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleText(encoder: self) }

    func at(_ key: any CodingKey) -> TextWalkEncoder {
        // A key is text too (a dictionary's keys are data): checked like any other.
        check(key.stringValue)
        let name = StitchJSON.wireName(key.stringValue)
        return TextWalkEncoder(findings: findings, path: path.isEmpty ? name : "\(path).\(name)")
    }

    func at(index: Int) -> TextWalkEncoder { TextWalkEncoder(findings: findings, path: "\(path)[\(index)]") }

    func check(_ text: String) {
        if let problem = InputRules.textProblem(text, field: path.isEmpty ? "body" : path) { findings.problems.append(problem) }
    }

    func walk<T: Encodable>(_ value: T) throws {
        if let text = value as? String { return check(text) }
        // A date from outside lies within the window around the factory's today (DateWindow.swift).
        if let date = value as? LocalDate {
            if let problem = InputRules.dateProblem(date, field: path.isEmpty ? "date" : path) { findings.problems.append(problem) }
            return
        }
        try value.encode(to: self)
    }
}

/// Numbers and booleans hold no text; only strings and nested values are looked at.
private struct KeyedTexts<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TextWalkEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) {}
    mutating func encode(_ value: Bool, forKey key: Key) {}
    mutating func encode(_ value: String, forKey key: Key) { encoder.at(key).check(value) }
    mutating func encode(_ value: Double, forKey key: Key) {}
    mutating func encode(_ value: Float, forKey key: Key) {}
    mutating func encode(_ value: Int, forKey key: Key) {}
    mutating func encode(_ value: Int8, forKey key: Key) {}
    mutating func encode(_ value: Int16, forKey key: Key) {}
    mutating func encode(_ value: Int32, forKey key: Key) {}
    mutating func encode(_ value: Int64, forKey key: Key) {}
    mutating func encode(_ value: UInt, forKey key: Key) {}
    mutating func encode(_ value: UInt8, forKey key: Key) {}
    mutating func encode(_ value: UInt16, forKey key: Key) {}
    mutating func encode(_ value: UInt32, forKey key: Key) {}
    mutating func encode(_ value: UInt64, forKey key: Key) {}
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.at(key).walk(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        encoder.at(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder.at(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder.at(key) }
}

private struct UnkeyedTexts: UnkeyedEncodingContainer {
    let encoder: TextWalkEncoder
    var count = 0
    var codingPath: [any CodingKey] { [] }

    private mutating func next() -> TextWalkEncoder {
        defer { count += 1 }
        return encoder.at(index: count)
    }

    mutating func encodeNil() { count += 1 }
    mutating func encode(_ value: Bool) { count += 1 }
    mutating func encode(_ value: String) { next().check(value) }
    mutating func encode(_ value: Double) { count += 1 }
    mutating func encode(_ value: Float) { count += 1 }
    mutating func encode(_ value: Int) { count += 1 }
    mutating func encode(_ value: Int8) { count += 1 }
    mutating func encode(_ value: Int16) { count += 1 }
    mutating func encode(_ value: Int32) { count += 1 }
    mutating func encode(_ value: Int64) { count += 1 }
    mutating func encode(_ value: UInt) { count += 1 }
    mutating func encode(_ value: UInt8) { count += 1 }
    mutating func encode(_ value: UInt16) { count += 1 }
    mutating func encode(_ value: UInt32) { count += 1 }
    mutating func encode(_ value: UInt64) { count += 1 }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().walk(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}

private struct SingleText: SingleValueEncodingContainer {
    let encoder: TextWalkEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() {}
    mutating func encode(_ value: Bool) {}
    mutating func encode(_ value: String) { encoder.check(value) }
    mutating func encode(_ value: Double) {}
    mutating func encode(_ value: Float) {}
    mutating func encode(_ value: Int) {}
    mutating func encode(_ value: Int8) {}
    mutating func encode(_ value: Int16) {}
    mutating func encode(_ value: Int32) {}
    mutating func encode(_ value: Int64) {}
    mutating func encode(_ value: UInt) {}
    mutating func encode(_ value: UInt8) {}
    mutating func encode(_ value: UInt16) {}
    mutating func encode(_ value: UInt32) {}
    mutating func encode(_ value: UInt64) {}
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.walk(value) }
}
