import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `./scripts/bench http`: load against a running stack (./scripts/run) through its HTTP API.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http")

    @Option(help: "The gateway") var baseURL = "http://127.0.0.1:8080"
    @Option(help: "Daily-input requests in the load run") var requests = 3_000
    @Option(help: "Concurrent clients") var concurrency = 16
    @Option(help: "Dashboard reads") var dashboardReads = 500
    @Option(help: "Input-to-dashboard samples") var propagationSamples = 100

    func run() async throws {
        let api = API(base: baseURL)
        let planner = try await api.login("ppic", "ppic-dev-123")
        let supervisor = try await api.login("spv_sewing", "spv-dev-123")
        let today = try await api.today(planner)
        var spks: [String] = []
        for index in 0..<concurrency {
            let spk = try await api.call("POST", "/api/v1/production/spks", token: planner, json: [
                "article_code": "BENCH-\(UUID().uuidString.prefix(6))-\(index)", "stage": "SEWING", "department": "SEWING",
                "original_qty": 10_000_000, "start_date": today, "due_date": today,
            ])
            spks.append(try (spk.data["id"] as? String).orThrow("SPK not created: \(spk.json)"))
        }
        print("HTTP against \(baseURL): \(concurrency) clients, each on its own SPK")

        // Load: daily inputs, each client on its own SPK.
        let perClient = requests / concurrency
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for spk in spks {
                group.addTask {
                    var samples: [Duration] = []
                    for _ in 0..<perClient {
                        let start = ContinuousClock.now
                        let reply = try await api.call("POST", "/api/v1/production/spk/\(spk)/daily-input", token: supervisor,
                                                       json: ["date": today, "qty": 1])
                        guard reply.status == 200 else { throw BenchFailure("daily input: \(reply.status) \(reply.json)") }
                        samples.append(start.duration(to: .now))
                    }
                    return samples
                }
            }
            return try await group.reduce(into: Latencies()) { all, samples in samples.forEach { all.record($0) } }
        }
        let elapsed = started.duration(to: .now)
        report("daily-input requests/s (\(perClient * concurrency) requests)",
               String(format: "%8.0f req/s", Double(perClient * concurrency) / elapsed.seconds))
        report("daily-input latency p50", latencies.percentile(0.5).milliseconds)
        report("daily-input latency p99", latencies.percentile(0.99).milliseconds)

        // Dashboard reads.
        var dashboard = Latencies()
        for _ in 0..<dashboardReads {
            let start = ContinuousClock.now
            _ = try await api.call("GET", "/api/v1/ppic/dashboard", token: planner)
            dashboard.record(start.duration(to: .now))
        }
        report("dashboard latency p50", dashboard.percentile(0.5).milliseconds)
        report("dashboard latency p99", dashboard.percentile(0.99).milliseconds)

        // From a daily input's reply until the dashboard shows it (PPIC learns by event).
        var propagation = Latencies()
        for _ in 0..<propagationSamples {
            let before = try await api.sewingProduced(planner)
            _ = try await api.call("POST", "/api/v1/production/spk/\(spks[0])/daily-input", token: supervisor,
                                   json: ["date": today, "qty": 1])
            let replied = ContinuousClock.now
            while try await api.sewingProduced(planner) <= before {
                if replied.duration(to: .now) > .seconds(10) { throw BenchFailure("the dashboard did not catch up in 10 s") }
            }
            propagation.record(replied.duration(to: .now))
        }
        report("input reply → visible on the dashboard, p50", propagation.percentile(0.5).milliseconds)
        report("input reply → visible on the dashboard, p99", propagation.percentile(0.99).milliseconds)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw BenchFailure(message) }
        return self
    }
}

/// A minimal JSON client over URLSession.
struct API: Sendable {
    let base: String

    struct Reply: @unchecked Sendable {
        var status: Int
        var json: Any?
        var data: [String: Any] { (json as? [String: Any])?["data"] as? [String: Any] ?? [:] }
    }

    func call(_ method: String, _ path: String, token: String? = nil, json: [String: Any]? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let (body, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, json: try? JSONSerialization.jsonObject(with: body))
    }

    func login(_ username: String, _ password: String) async throws -> String {
        let reply = try await call("POST", "/api/v1/auth/login", json: ["username": username, "password": password])
        return try (reply.data["access_token"] as? String).orThrow("cannot sign in as \(username): is ./scripts/run up?")
    }

    /// The factory's today, as the newest date the API accepts (the server's time zone decides).
    func today(_ token: String) async throws -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: ProcessInfo.processInfo.environment["STITCH_FACTORY_TIMEZONE"] ?? "Asia/Jakarta")
        return formatter.string(from: Date())
    }

    func sewingProduced(_ token: String) async throws -> Int {
        let dashboard = try await call("GET", "/api/v1/ppic/dashboard", token: token).data
        return ((dashboard["by_stage"] as? [String: Any])?["SEWING"] as? [String: Any])?["produced"] as? Int ?? 0
    }
}
