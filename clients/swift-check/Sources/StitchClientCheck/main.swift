import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

/// Signs in, creates an SPK and records a daily input through the generated client, as an app
/// would; exits non-zero (saying what failed) if any answer is not the documented success.
/// Usage: StitchClientCheck http://127.0.0.1:8080
/// (The generated initialisers take their fields in the document's order, which is alphabetical.)

/// Adds `Authorization: Bearer <token>` to every request.
struct BearerToken: ClientMiddleware {
    let token: String
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

struct CheckFailed: Error, CustomStringConvertible {
    let description: String
}

/// Stitch writes timestamps with milliseconds (`2026-11-22T08:22:39.123Z`): the runtime's default
/// transcoder reads them only without, so every client sets this one.
func client(_ url: URL, token: String? = nil) -> Client {
    Client(
        serverURL: url, configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds), transport: URLSessionTransport(),
        middlewares: token.map { [BearerToken(token: $0)] } ?? [])
}

func signIn(_ url: URL, _ username: String, _ password: String) async throws -> String {
    let answer = try await client(url).postAuthLogin(body: .json(.init(password: password, username: username)))
    guard case .ok(let ok) = answer else { throw CheckFailed(description: "sign-in as \(username): \(answer)") }
    return try ok.body.json.data.accessToken
}

func day(_ offset: Int) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
}

guard CommandLine.arguments.count > 1, let url = URL(string: CommandLine.arguments[1]) else {
    print("usage: StitchClientCheck BASE_URL")
    exit(2)
}

do {
    let planner = client(url, token: try await signIn(url, "ppic", "ppic-dev-123"))
    let created = try await planner.postProductionSpks(
        body: .json(
            .init(
                articleCode: "BEAR-30CM", department: .init(rawValue: "SEWING")!, dueDate: day(7), notes: "made by the generated client",
                originalQty: 40, stage: .init(rawValue: "SEWING")!, startDate: day(0))))
    guard case .created(let spkAnswer) = created else { throw CheckFailed(description: "create SPK: \(created)") }
    let spk = try spkAnswer.body.json.data
    print("client-check: created \(spk.code) (target \(spk.targetQty))")

    let manager = client(url, token: try await signIn(url, "prod_manager", "prodmgr-dev-123"))
    let recorded = try await manager.postProductionSpkIdDailyInput(
        path: .init(id: spk.code), body: .json(.init(clientEntryId: UUID().uuidString, date: day(0), qty: 7)))
    guard case .ok(let inputAnswer) = recorded else { throw CheckFailed(description: "daily input: \(recorded)") }
    let result = try inputAnswer.body.json.data
    guard result.cumulative == 7 else { throw CheckFailed(description: "cumulative \(result.cumulative), expected 7") }

    let read = try await manager.getProductionSpksId(path: .init(id: spk.code))
    guard case .ok(let readAnswer) = read else { throw CheckFailed(description: "read SPK: \(read)") }
    let again = try readAnswer.body.json.data
    print("client-check: recorded 7 for \(again.code): status \(again.status.rawValue), cumulative \(result.cumulative) of \(result.target)")
    print("client-check: passed")
} catch {
    print("client-check: FAILED: \(error)")
    exit(1)
}
