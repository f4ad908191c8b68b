import Foundation

/// An enum read from JSON regardless of case (`"sewing"` is `SEWING`): people and apps type both.
/// Written back in its canonical capitals.
public protocol CaseInsensitiveEnum: RawRepresentable, CaseIterable, Codable where RawValue == String {}

extension CaseInsensitiveEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }
}
