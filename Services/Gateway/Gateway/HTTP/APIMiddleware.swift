import Contracts
import Foundation
import Hummingbird
import Logging

/// Around every request: gives it an id (or keeps the caller's `X-Request-Id`) and turns every error
/// into the JSON error body with that id (never a stack trace). CORS and metrics are Hummingbird's
/// own middleware (`CORSMiddleware`, `MetricsMiddleware`), added around this one.
struct APIMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    /// The factory's today: every date a request carries is checked against it (InputRules.dateProblem).
    var today: @Sendable () -> LocalDate = { InputRules.today }

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        let requestId = request.headers[.requestId].flatMap { $0.count <= 100 ? $0 : nil } ?? UUID().uuidString
        context.requestId = requestId
        context.logger[metadataKey: "request.id"] = .string(requestId)
        var response: Response
        do {
            response = try await InputRules.$factoryToday.withValue(today()) { try await next(request, context) }
        } catch let error as ErrorReply {
            response = JSONResponses.error(error, requestId: requestId)
        } catch let error as HTTPError {
            let code: ErrorCode =
                switch error.status.code {
                case 404: .notFound
                case 405: .methodNotAllowed
                case 413, 400: .malformed
                case 401: .unauthorized
                default: .internalError
                }
            let message =
                error.status.code == 404
                ? "No such route: \(request.method) \(request.uri.path)"
                : (error.body ?? error.status.reasonPhrase)
            response = JSONResponses.error(ErrorReply(code, message), requestId: requestId)
        } catch {
            context.logger.error("request failed: \(String(reflecting: error))")
            response = JSONResponses.error(ErrorReply(.internalError, "Something went wrong on our side."), requestId: requestId)
        }
        response.headers[.requestId] = requestId
        return response
    }
}

/// Hummingbird's `CORSMiddleware` for the origins in configuration (`STITCH_CORS_ORIGINS`): a request
/// from any other origin gets no CORS headers, so a browser keeps its page out. (`CORSMiddleware`
/// takes a list of origins only as a literal, hence this filter in front of `.originBased`.)
struct ConfiguredCORS: RouterMiddleware {
    typealias Context = GatewayContext
    let origins: Set<String>
    let cors = CORSMiddleware<GatewayContext>(
        allowOrigin: .originBased,
        allowHeaders: [.authorization, .contentType, .accept, .requestId, .idempotencyKey],
        allowMethods: [.get, .post, .put, .patch, .delete, .options],
        exposedHeaders: ["X-Request-Id"],
        maxAge: .seconds(600))

    init(origins: [String]) { self.origins = Set(origins) }

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains("*") || origins.contains(origin) else {
            return try await next(request, context)
        }
        var response = try await cors.handle(request, context: context, next: next)
        // Hummingbird names exposed headers on the preflight only; a browser reads them from the response.
        if request.method != .options { response.headers[.accessControlExposeHeaders] = "X-Request-Id" }
        return response
    }
}

/// Reads the bearer token, if any, into `context.actor`. Routes decide whether they need one.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let tokens: TokenService

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer "), let actor = await tokens.verify(String(header.dropFirst(7))) else {
                throw ErrorReply(.unauthorized, "The access token is invalid or has expired.")
            }
            context.actor = actor
            context.logger[metadataKey: "user"] = .string(actor.username)
        }
        return try await next(request, context)
    }
}
