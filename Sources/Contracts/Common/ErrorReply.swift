/// An error code the gateway maps 1:1 to an HTTP status (docs/api.md, "Conventions"). Open set:
/// a service may add codes, each with its status.
public struct ErrorCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let malformed = ErrorCode(rawValue: "MALFORMED_REQUEST")
    public static let validationFailed = ErrorCode(rawValue: "VALIDATION_FAILED")
    public static let unauthorized = ErrorCode(rawValue: "UNAUTHORIZED")
    public static let forbidden = ErrorCode(rawValue: "FORBIDDEN")
    public static let notFound = ErrorCode(rawValue: "NOT_FOUND")
    public static let conflict = ErrorCode(rawValue: "CONFLICT")
    public static let ruleViolated = ErrorCode(rawValue: "RULE_VIOLATED")
    public static let tooManyAttempts = ErrorCode(rawValue: "TOO_MANY_ATTEMPTS")
    public static let unavailable = ErrorCode(rawValue: "SERVICE_UNAVAILABLE")
    public static let timeout = ErrorCode(rawValue: "TIMEOUT")
    public static let internalError = ErrorCode(rawValue: "INTERNAL_ERROR")
    /// An `Idempotency-Key` sent again with a different request (method, path, body or user).
    public static let idempotencyKeyReused = ErrorCode(rawValue: "IDEMPOTENCY_KEY_REUSED")
    /// The path exists, the method does not (the response's `Allow` header lists those that do).
    public static let methodNotAllowed = ErrorCode(rawValue: "METHOD_NOT_ALLOWED")

    /// The HTTP status the gateway answers with.
    public var httpStatus: Int {
        switch self {
        case .malformed, .validationFailed: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .ruleViolated, .idempotencyKeyReused: 422
        case .tooManyAttempts: 429
        case .unavailable: 503
        case .timeout: 504
        default: 500
        }
    }
}

/// What is wrong with one field of a request.
public struct FieldError: Codable, Sendable, Hashable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The one error reply of every request; thrown by handlers, carried back to the caller as is.
public struct ErrorReply: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var details: [FieldError]

    public init(_ code: ErrorCode, _ message: String, details: [FieldError] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        details.isEmpty
            ? "\(code): \(message)"
            : "\(code): \(message) [\(details.map { "\($0.field): \($0.message)" }.joined(separator: "; "))]"
    }

    public static func validation(_ details: [FieldError]) -> ErrorReply {
        ErrorReply(.validationFailed, "The request has invalid fields.", details: details)
    }
    public static func notFound(_ what: String) -> ErrorReply { ErrorReply(.notFound, "\(what) was not found.") }
    public static func conflict(_ message: String) -> ErrorReply { ErrorReply(.conflict, message) }
    public static func forbidden(_ message: String) -> ErrorReply { ErrorReply(.forbidden, message) }
    public static func rule(_ message: String, details: [FieldError] = []) -> ErrorReply {
        ErrorReply(.ruleViolated, message, details: details)
    }
}

/// A request's answer on the wire: `{"data": …}` or `{"error": {…}}`, like the gateway's HTTP bodies.
public enum RequestOutcome<Reply: Codable & Sendable>: Codable, Sendable {
    case success(Reply)
    case failure(ErrorReply)

    enum CodingKeys: String, CodingKey { case data, error }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let error = try container.decodeIfPresent(ErrorReply.self, forKey: .error) {
            self = .failure(error)
        } else {
            self = .success(try container.decode(Reply.self, forKey: .data))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .success(let reply): try container.encode(reply, forKey: .data)
        case .failure(let error): try container.encode(error, forKey: .error)
        }
    }

    public func get() throws(ErrorReply) -> Reply {
        switch self {
        case .success(let reply): return reply
        case .failure(let error): throw error
        }
    }
}
