/// The services of Stitch; a command or query names the one that owns it.
public enum ServiceName: String, Codable, Sendable, CaseIterable {
    case gateway, production, ppic, approval, warehouse, bomfinance, quality
}

/// Anything that travels between services. `messageType` is its routing name and its version:
/// `<service>.<thing>.<what-happened-or-verb>.v<N>`. A changed meaning is a new version.
public protocol Message: Codable, Sendable {
    static var messageType: String { get }
}

/// A message sent to one owning service, answered with a `Reply` (or an `ErrorReply`).
public protocol Request: Message, BoundedInput {
    associatedtype Reply: Codable & Sendable
    static var owner: ServiceName { get }
    /// What is wrong with the request's numbers (out of their bounds); empty when nothing is.
    /// Text is checked for every request by `validate()` (InputRules.swift).
    var inputProblems: [FieldError] { get }
}

/// Asks the owner to change something. May carry an idempotency key.
public protocol Command: Request {}

/// Asks the owner for data; changes nothing, so it is always safe to repeat.
public protocol Query: Request {}

/// Says that something happened; published to every service that subscribes to its type.
public protocol Event: Message {}

/// The reply of a request that has nothing to return but success.
public struct Accepted: Codable, Sendable, Hashable {
    public var status: String
    public init(status: String = "ok") { self.status = status }
}
