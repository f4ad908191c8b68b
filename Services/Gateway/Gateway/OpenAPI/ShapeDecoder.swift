import Contracts
import Foundation

/// What one value turned out to be while its type decoded or encoded itself: an object with
/// properties, an array of items, or a scalar.
final class ShapeNode {
    enum Kind { case none, object, array, value }
    var kind = Kind.none
    var properties: [String: JSONValue] = [:]
    var propertyOrder: [String] = []
    var required: Set<String> = []
    /// Keys the type asked about (`contains`, `decodeNil`) before decoding them: those are optional.
    var probed: Set<String> = []
    var item: JSONValue?
    var value: JSONValue?

    func property(_ name: String, _ schema: JSONValue, required isRequired: Bool) {
        if properties[name] == nil { propertyOrder.append(name) }
        properties[name] = schema
        if isRequired && !probed.contains(name) { required.insert(name) } else { required.remove(name) }
    }
}

/// A `Decoder` with no data: it answers every question a type asks with a sample and writes down
/// what was asked — which keys, of which types, which of them optional. Decoding a type with it
/// gives the type's JSON Schema, from the type's own `init(from:)` (custom ones included).
struct ShapeDecoder: Decoder {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.kind = .object
        return KeyedDecodingContainer(KeyedShapeDecoding<Key>(node: node, catalog: catalog, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        node.kind = .array
        return UnkeyedShapeDecoding(node: node, catalog: catalog, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        node.kind = .value
        return SingleShapeDecoding(node: node, catalog: catalog, codingPath: codingPath)
    }
}

private struct KeyedShapeDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]
    var allKeys: [Key] { [] }

    private func name(_ key: Key) -> String { StitchJSON.wireName(key.stringValue) }

    func contains(_ key: Key) -> Bool {
        node.probed.insert(name(key))
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        node.probed.insert(name(key))
        node.required.remove(name(key))
        return false
    }

    private func value<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        let (schema, sample) = try catalog.describeInput(type, field: name(key))
        node.property(name(key), schema, required: required)
        return sample
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, key, required: true) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try value(type, key, required: false) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key, required: true) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key, required: true) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key, required: true) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key, required: true) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key, required: true) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key, required: true) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key, required: true) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key, required: true) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key, required: true) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key, required: true) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key, required: true) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key, required: true) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key, required: true) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key, required: true) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try value(type, key, required: false) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let child = ShapeNode()
        let container = try ShapeDecoder(node: child, catalog: catalog, codingPath: codingPath + [key]).container(keyedBy: type)
        node.property(name(key), .object([:]), required: true)
        return container
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        node.property(name(key), ["type": "array"], required: true)
        return UnkeyedShapeDecoding(node: ShapeNode(), catalog: catalog, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder { ShapeDecoder(node: node, catalog: catalog, codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ShapeDecoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath + [key])
    }
}

/// An array decodes one sample item.
private struct UnkeyedShapeDecoding: UnkeyedDecodingContainer {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }
    var currentIndex = 0

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = try catalog.describeInput(type, field: codingPath.last.map { StitchJSON.wireName($0.stringValue) })
        node.item = schema
        currentIndex += 1
        return sample
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try ShapeDecoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return UnkeyedShapeDecoding(node: ShapeNode(), catalog: catalog, codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder {
        currentIndex += 1
        return ShapeDecoder(node: ShapeNode(), catalog: catalog, codingPath: codingPath)
    }
}

private struct SingleShapeDecoding: SingleValueDecodingContainer {
    let node: ShapeNode
    let catalog: SchemaCatalog
    var codingPath: [any CodingKey]

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = try catalog.describeInput(type, field: codingPath.last.map { StitchJSON.wireName($0.stringValue) })
        node.value = schema
        return sample
    }

    func decode(_ type: Bool.Type) throws -> Bool { try generic(type) }
    func decode(_ type: String.Type) throws -> String { try generic(type) }
    func decode(_ type: Double.Type) throws -> Double { try generic(type) }
    func decode(_ type: Float.Type) throws -> Float { try generic(type) }
    func decode(_ type: Int.Type) throws -> Int { try generic(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try generic(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try generic(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try generic(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try generic(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try generic(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try generic(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try generic(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try generic(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try generic(type) }

    private func generic<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = try catalog.describeInput(type, field: codingPath.last.map { StitchJSON.wireName($0.stringValue) })
        node.value = schema
        return sample
    }
}
