import Contracts
import Foundation
import Hummingbird
import Logging
import Metrics

/// Around every request: gives it an id (or keeps the caller's `X-Request-Id`), turns every error
/// into the JSON error body with that id (never a stack trace), answers CORS, and counts and times it.
struct APIMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let corsOrigins: [String]

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        let requestId = request.headers[.requestId].flatMap { $0.count <= 100 ? $0 : nil } ?? UUID().uuidString
        context.requestId = requestId
        context.logger[metadataKey: "request.id"] = .string(requestId)
        let started = ContinuousClock.now
        let origin = request.headers[.origin]
        var response: Response
        if request.method == .options, origin != nil {
            response = Response(status: .noContent)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as ErrorReply {
                response = JSONResponses.error(error, requestId: requestId)
            } catch let error as HTTPError {
                let code: ErrorCode = switch error.status.code {
                case 404: .notFound
                case 405: .notFound
                case 413, 400: .malformed
                case 401: .unauthorized
                default: .internalError
                }
                let message = error.status.code == 404 || error.status.code == 405 ? "No such route: \(request.method) \(request.uri.path)"
                    : (error.body ?? error.status.reasonPhrase)
                response = JSONResponses.error(ErrorReply(code, message), requestId: requestId)
            } catch {
                context.logger.error("request failed: \(String(reflecting: error))")
                response = JSONResponses.error(ErrorReply(.internalError, "Something went wrong on our side."), requestId: requestId)
            }
        }
        response.headers[.requestId] = requestId
        if let origin, corsOrigins.contains("*") || corsOrigins.contains(origin) {
            response.headers[.accessControlAllowOrigin] = corsOrigins.contains("*") ? "*" : origin
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-Request-Id"
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlExposeHeaders] = "X-Request-Id"
            response.headers[.vary] = "Origin"
        }
        let route = context.endpointPath ?? "unmatched"
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        Counter(label: "stitch_http_requests_total", dimensions: dimensions).increment()
        Timer(label: "stitch_http_request_duration_seconds", dimensions: [("method", request.method.rawValue), ("route", route)])
            .recordNanoseconds(Int64(started.duration(to: .now).components.attoseconds / 1_000_000_000)
                               + started.duration(to: .now).components.seconds * 1_000_000_000)
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
