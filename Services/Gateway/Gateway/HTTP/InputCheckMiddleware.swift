import Contracts
import Foundation
import HTTPTypes
import Hummingbird

/// Refuses, before any route runs, what no route can use: control characters (NUL and the like) in
/// the path or a query parameter, and a malformed `Idempotency-Key`. Bodies are checked where they
/// are decoded (`Request.decodeJSON`) and every request again before it is sent (`ServiceCaller`).
/// One place for all routes, so a `%00` is a 400 at once instead of a service's failure.
struct InputCheckMiddleware: RouterMiddleware {
    typealias Context = GatewayContext

    /// A client's key for one attempt at a POST: letters, digits and `-_.:`, up to 100 characters (a UUID fits).
    static let idempotencyKeyPattern = #"^[A-Za-z0-9_.:-]{1,100}$"#

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var problems: [FieldError] = []
        let path = request.uri.path
        if let problem = InputRules.textProblem(path.removingPercentEncoding ?? path, field: "path") {
            problems.append(FieldError(field: "path", message: problem.message))
        }
        for (name, value) in request.uri.queryParameters {
            let decodedName = String(name).removingPercentEncoding ?? String(name)
            if let problem = InputRules.textProblem(decodedName, field: "query") {
                problems.append(FieldError(field: "query", message: "parameter names " + problem.message))
            } else if let problem = InputRules.textProblem(String(value), field: decodedName) {
                problems.append(problem)
            }
        }
        var context = context
        if let key = request.headers[.idempotencyKey] {
            guard key.range(of: Self.idempotencyKeyPattern, options: .regularExpression) != nil else {
                throw ErrorReply.validation([
                    FieldError(
                        field: "Idempotency-Key",
                        message: "must be 1 to 100 letters, digits, -, _, . or :")
                ])
            }
            context.idempotencyKey = key
        }
        if !problems.isEmpty { throw ErrorReply.validation(problems) }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
