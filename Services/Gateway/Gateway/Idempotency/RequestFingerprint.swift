import Crypto
import Foundation
import HTTPTypes

/// What an `Idempotency-Key` is bound to (IETF draft-ietf-httpapi-idempotency-key-header, as Stripe does it):
/// the method, the path with its values and its query, the body after normalisation, and the user. Two
/// requests with the same fingerprint are the same request; the same key with another fingerprint is a
/// client's mistake that must not be answered with the first request's outcome.
struct RequestFingerprint: Sendable, Hashable {
    /// SHA-256, hex.
    let value: String

    init(method: HTTPRequest.Method, path: String, query: String?, body: [UInt8], userId: String) {
        var hash = SHA256()
        for part in [method.rawValue, path, query ?? "", userId] {
            hash.update(data: Array(part.utf8))
            hash.update(data: [0])
        }
        hash.update(data: Self.normalised(body))
        value = hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// A JSON body with its keys sorted and its whitespace gone, so `{"a":1, "b":2}` and
    /// `{"b":2,"a":1}` are one request; any other body (CSV, empty) as sent.
    static func normalised(_ body: [UInt8]) -> [UInt8] {
        guard let first = body.first(where: { !" \t\r\n".utf8.contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        else { return body }
        return Array(data)
    }
}
