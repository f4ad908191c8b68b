import Contracts
import Foundation

/// Reads a route's query string into a `Decodable` type with snake_case names (`?due_before=` →
/// `dueBefore`), so a route's parameters are a type — the same one the API document describes.
/// A value of the wrong kind is a 400 naming the parameter; unknown parameters are ignored.
struct QueryDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from values: [String: String]) throws(ErrorReply) -> T {
        do {
            return try T(from: QueryValuesDecoder(values: values))
        } catch let error as ErrorReply {
            throw error
        } catch let error as DecodingError {
            var problem = fieldError(error)
            problem.field = StitchJSON.wireName(problem.field)
            throw ErrorReply.validation([problem])
        } catch {
            throw ErrorReply.validation([FieldError(field: "query", message: "could not be read")])
        }
    }
}

private struct QueryValuesDecoder: Decoder {
    let values: [String: String]
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(QueryContainer<Key>(values: values))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([String].self, .init(codingPath: [], debugDescription: "a query is not a list"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(String.self, .init(codingPath: [], debugDescription: "a query is not one value"))
    }
}

private struct QueryContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: String]
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

    private func text(_ key: Key) -> String? { values[StitchJSON.wireName(key.stringValue)] }

    func contains(_ key: Key) -> Bool { text(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { text(key) == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let text = text(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "is required"))
        }
        return try Self.parse(type, text, key)
    }

    static func parse<T: Decodable>(_ type: T.Type, _ text: String, _ key: Key) throws -> T {
        let context = DecodingError.Context(codingPath: [key], debugDescription: "")
        switch type {
        case is String.Type:
            return text as! T
        case is Int.Type:
            guard let value = Int(text) else { throw DecodingError.typeMismatch(Int.self, context) }
            return value as! T
        case is Bool.Type:
            switch text.lowercased() {
            case "true", "1": return true as! T
            case "false", "0": return false as! T
            default: throw DecodingError.typeMismatch(Bool.self, context)
            }
        case is LocalDate.Type:
            guard let date = LocalDate(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "must be a date as YYYY-MM-DD"))
            }
            return date as! T
        default:
            // Enums and other single values read themselves from the text.
            return try T(from: OneValueDecoder(text: text, key: key))
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch([String: String].self, .init(codingPath: [key], debugDescription: "not an object"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([String].self, .init(codingPath: [key], debugDescription: "not a list"))
    }
    func superDecoder() throws -> any Decoder { QueryValuesDecoder(values: values) }
    func superDecoder(forKey key: Key) throws -> any Decoder { QueryValuesDecoder(values: values) }
}

/// One query value as a single-value decoder (`?stage=sewing` for `Stage`).
private struct OneValueDecoder: Decoder, SingleValueDecodingContainer {
    let text: String
    let key: any CodingKey
    var codingPath: [any CodingKey] { [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        throw DecodingError.typeMismatch([String: String].self, .init(codingPath: [key], debugDescription: "not an object"))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([String].self, .init(codingPath: [key], debugDescription: "not a list"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { false }
    func decode(_ type: String.Type) throws -> String { text }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == String.self { return text as! T }
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "not a \(type)"))
    }
}
