extension KeyedDecodingContainer {
    /// A whole number; `1.5` is reported against its field (the plain `Int` decoding loses the field).
    public func decodeWholeNumber(forKey key: Key) throws -> Int {
        if let value = try? decode(Int.self, forKey: key) { return value }
        let number: Double
        do {
            number = try decode(Double.self, forKey: key)
        } catch DecodingError.typeMismatch(_, let context) {
            throw DecodingError.typeMismatch(Int.self, context)  // "qty": "many" is a bad whole number, not a bad Double
        }
        guard number.rounded() == number, let value = Int(exactly: number) else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: codingPath + [key], debugDescription: "not a whole number"))
        }
        return value
    }

    public func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        try contains(key) && !decodeNil(forKey: key) ? decodeWholeNumber(forKey: key) : nil
    }
}
