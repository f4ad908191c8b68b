import Contracts
import Foundation

/// An `Encoder` that writes nothing: it notes what a value encodes — keys, their types, which were
/// written with `encodeIfPresent` (optional) — to give the JSON Schema of a reply.
struct ShapeEncoder: Encoder {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.kind = .object
        return KeyedEncodingContainer(KeyedShapeEncoding<Key>(node: node, catalog: catalog, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.kind = .array
        return UnkeyedShapeEncoding(node: node, catalog: catalog, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        node.kind = .value
        return SingleShapeEncoding(node: node, catalog: catalog, codingPath: codingPath)
    }
}

/// A failure to describe a value, carried through the `Encodable` API (which only throws).
private func describe(_ catalog: SchemaCatalog, _ value: some Encodable, field: String?) throws -> JSONValue {
    try catalog.describeOutput(value, field: field)
}

private struct KeyedShapeEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]

    private func name(_ key: Key) -> String { StitchJSON.wireName(key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws {
        node.property(name(key), ["type": "null"], required: false)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.property(name(key), try describe(catalog, value, field: name(key)), required: true)
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return }
        node.property(name(key), try describe(catalog, value, field: name(key)), required: false)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try optional(value, key) }

    private func optional(_ value: (some Encodable)?, _ key: Key) throws {
        guard let value else { return }
        node.property(name(key), try describe(catalog, value, field: name(key)), required: false)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        node.property(name(key), ["type": "object"], required: true)
        return ShapeEncoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        node.property(name(key), ["type": "array"], required: true)
        return UnkeyedShapeEncoding(node: ShapeNode(), catalog: catalog, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { ShapeEncoder(node: node, catalog: catalog, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ShapeEncoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath + [key]) }
}

private struct UnkeyedShapeEncoding: UnkeyedEncodingContainer {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]
    var count = 0

    mutating func encodeNil() throws {}

    mutating func encode<T: Encodable>(_ value: T) throws {
        if node.item == nil { node.item = try describe(catalog, value, field: codingPath.last.map { StitchJSON.wireName($0.stringValue) }) }
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        return ShapeEncoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        return UnkeyedShapeEncoding(node: ShapeNode(), catalog: catalog, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        count += 1
        return ShapeEncoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath)
    }
}

private struct SingleShapeEncoding: SingleValueEncodingContainer {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.value = ["type": "null"] }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.value = try describe(catalog, value, field: codingPath.last.map { StitchJSON.wireName($0.stringValue) })
    }
}
