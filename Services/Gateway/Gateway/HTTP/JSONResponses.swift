import Contracts
import Foundation
import Hummingbird

/// `{"data": …}` bodies (lists are `Listed`, which carries its own `meta`), error bodies, and reading JSON
/// requests with field-level errors.
enum JSONResponses {
    struct DataBody<T: Encodable>: Encodable { var data: T }
    struct Meta: Codable, Sendable {
        var page: Int
        var perPage: Int
        var total: Int
        init<Item>(_ page: Page<Item>) {
            self.page = page.page
            perPage = page.perPage
            total = page.total
        }
    }
    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var details: [FieldError]
            var requestId: String
        }
        var error: Detail
    }

    static func data(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try json(DataBody(data: value), status: status)
    }

    static func error(_ error: ErrorReply, requestId: String) -> Response {
        let body = ErrorBody(
            error: .init(
                code: error.code.rawValue, message: error.message, details: error.details,
                requestId: requestId))
        let status = HTTPResponse.Status(code: error.code.httpStatus)
        return (try? json(body, status: status)) ?? Response(status: status)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let bytes = try StitchJSON.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension Request {
    /// The JSON body as `T`; a missing, malformed or mistyped field is a 400 naming the field.
    func decodeJSON<T: Codable>(_ type: T.Type, maxBytes: Int = 2 * 1024 * 1024) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: maxBytes)
        } catch {
            throw ErrorReply(.malformed, "The request body is larger than \(maxBytes / 1024) KiB.")
        }
        guard buffer.readableBytes > 0 else { throw ErrorReply(.malformed, "The request needs a JSON body.") }
        // A body that may be left out is left out, not sent as `null` (the document describes an object).
        if T.self is any OptionalBody.Type, String(buffer: buffer).trimmingCharacters(in: .whitespacesAndNewlines) == "null" {
            throw ErrorReply.validation([FieldError(field: "body", message: "send an object, or no body at all")])
        }
        let value: T
        do {
            value = try StitchJSON.decode(T.self, from: Array(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw ErrorReply.validation([fieldError(error)])
        } catch {
            throw ErrorReply(.malformed, "The request body is not valid JSON.")
        }
        // Every text field of every body, whatever its type: no NUL or other control characters
        // (a backlog's entries are judged one by one by their owner instead: ItemwiseValidated).
        var problems = value is any ItemwiseValidated ? [] : InputRules.textProblems(in: value)
        // ... and a body's own checks (a reason that says something), as the document states them: all at once.
        if !(value is any ItemwiseValidated), let bounded = value as? any BoundedInput {
            problems = FieldError.unique(problems + bounded.inputProblems)
        }
        if !problems.isEmpty { throw ErrorReply.validation(problems) }
        return value
    }
}

/// A decoding error as the field it is about and what is wrong with it.
func fieldError(_ error: DecodingError) -> FieldError {
    func path(_ context: DecodingError.Context, _ extra: CodingKey? = nil) -> String {
        let keys = context.codingPath + (extra.map { [$0] } ?? [])
        return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }
    switch error {
    case .keyNotFound(let key, let context):
        return FieldError(field: path(context, key), message: "is required")
    case .valueNotFound(_, let context):
        return FieldError(field: path(context), message: "must not be null")
    case .typeMismatch(let type, let context):
        let expected =
            type == Int.self
            ? "a whole number"
            : type == String.self
                ? "text"
                : type == Bool.self
                    ? "true or false"
                    : "\(type)"
        return FieldError(field: path(context), message: "must be \(expected)")
    case .dataCorrupted(let context):
        if context.codingPath.isEmpty { return FieldError(field: "body", message: "is not valid JSON") }
        let detail = context.debugDescription.contains("Cannot initialize") ? "has a value that is not allowed" : context.debugDescription
        return FieldError(field: path(context), message: detail)
    @unknown default:
        return FieldError(field: "body", message: "could not be read")
    }
}
