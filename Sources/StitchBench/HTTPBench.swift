import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `./scripts/bench http`: the daily-input load of issue 13 against a running stack (./scripts/run):
/// wrk with `--connections` keep-alive connections posting `{"date":today,"qty":1}` to `--spks`
/// stand-alone SEWING SPKs as PRODUCTION_MANAGER for `--seconds`. Reports inputs/s and p50/p99 (wrk),
/// CPU ms per input of each process of the stack (utime+stime from /proc, from the first request
/// until the last event was followed), commits and row writes per input (pg_stat), and writes all of
/// it to a JSON file; `--compare` prints a previous file beside it.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http")

    @Option(help: "The gateway") var baseURL = "http://127.0.0.1:8080"
    @Option(help: "Concurrent keep-alive connections (wrk -c)") var connections = 32
    @Option(help: "wrk threads") var threads = 2
    @Option(help: "Stand-alone SEWING SPKs the inputs are spread over") var spks = 200
    @Option(help: "Length of the measured run, seconds") var seconds = 30
    @Option(help: "Length of the warm-up run, seconds (not measured)") var warmup = 5
    @Option(help: "NAME=PID of a process of the stack whose CPU is measured (its children are counted with it); repeatable")
    var process: [String] = []
    @Option(help: "A shell command that runs SQL from stdin as a superuser of the stack's database (unaligned, tuples only)")
    var psql: String?
    @Option(help: "Where to write the figures (JSON)") var json: String?
    @Option(help: "A JSON file of an earlier run to print beside this one") var compare: String?
    @Option(help: "A label for this run in the JSON (e.g. before, after)") var label = ""
    @Option(help: "Dashboard reads after the load") var dashboardReads = 200

    func run() async throws {
        let api = API(base: baseURL)
        let planner = try await api.login("ppic", "ppic-dev-123")
        let manager = try await api.login("prod_manager", "prodmgr-dev-123")
        let today = try await api.today(planner)
        // Production takes SPKs only for an article BOMFinance knows (one made by an earlier run is fine).
        let article = try await api.call("POST", "/api/v1/master/articles", token: planner, json: ["code": "BENCH-ARTICLE", "name": "Bench article"])
        guard article.status == 201 || article.status == 409 else { throw BenchFailure("article not created: \(article.json ?? "-")") }
        var ids: [String] = []
        for _ in 0..<spks {
            let spk = try await api.call(
                "POST", "/api/v1/production/spks", token: planner,
                json: [
                    "article_code": "BENCH-ARTICLE", "stage": "SEWING", "department": "SEWING",
                    "original_qty": 10_000_000, "start_date": today, "due_date": today,
                ])
            ids.append(try (spk.data["id"] as? String).orThrow("SPK not created: \(spk.json ?? "-")"))
        }
        let processes = try process.map { spec -> (String, Int32) in
            let parts = spec.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let pid = Int32(parts[1]) else { throw BenchFailure("--process wants NAME=PID, not \(spec)") }
            return (String(parts[0]), pid)
        }
        let database = psql.map(Database.init)
        let script = try WrkScript(paths: ids.map { "/api/v1/production/spk/\($0)/daily-input" }, token: manager, date: today)
        defer { script.remove() }
        print(
            "daily input over HTTP against \(baseURL): wrk -t\(threads) -c\(connections), \(spks) stand-alone SEWING SPKs, "
                + "PRODUCTION_MANAGER, {\"date\":\"\(today)\",\"qty\":1}")

        if warmup > 0 {
            _ = try runWrk(script, seconds: warmup)
            try await drained(database, spkIds: ids)
        }
        // Idle PostgreSQL backends report their statistics within 10 s; wait that out on both sides.
        if database != nil { try await Task.sleep(for: .seconds(11)) }
        let statsBefore = try database?.stats()
        let cpuBefore = CPUSample(processes)
        let machineBefore = MachineCPU()
        let wrk = try runWrk(script, seconds: seconds)
        try await drained(database, spkIds: ids)
        let cpuAfter = CPUSample(processes)
        let machineAfter = MachineCPU()
        if database != nil { try await Task.sleep(for: .seconds(11)) }
        let statsAfter = try database?.stats()

        let inputs = Double(wrk.requests)
        guard inputs > 0 else { throw BenchFailure("wrk sent no request") }
        var figures: [String: Any] = [
            "label": label, "at": ISO8601DateFormatter().string(from: Date()), "git": gitCommit(),
            "connections": connections, "threads": threads, "spks": spks, "seconds": seconds,
            "inputs": wrk.requests, "inputs_per_second": inputs / (Double(wrk.durationMicros) / 1e6),
            "latency_ms": ["p50": wrk.p50 / 1000, "p90": wrk.p90 / 1000, "p99": wrk.p99 / 1000, "max": wrk.max / 1000],
            "errors": wrk.errors,
        ]
        var cpu: [String: Double] = [:]
        for (name, _) in processes {
            cpu[name] = Double(cpuAfter.ticks[name, default: 0] - cpuBefore.ticks[name, default: 0]) * CPUSample.msPerTick / inputs
        }
        cpu["total"] = cpu.values.reduce(0, +)
        figures["cpu_ms_per_input"] = cpu
        let machine = machineAfter.since(machineBefore)
        let ours = cpu["total", default: 0] * inputs / 1000
        figures["machine"] = [
            "cores": ProcessInfo.processInfo.activeProcessorCount,
            "busy_core_seconds": machine.busy, "elapsed_seconds": machine.elapsed,
            // What ran besides the measured processes (wrk itself, other people's work): the load we measured under.
            "other_busy_cores": max(0, machine.busy - ours) / max(machine.elapsed, 1e-9),
            "loadavg": (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "",
        ]
        if let statsBefore, let statsAfter {
            var writes: [String: Double] = [:]
            var scans: [String: Double] = [:]
            for (table, after) in statsAfter.tables {
                let before = statsBefore.tables[table] ?? .zero
                let written = Double(after.writes - before.writes) / inputs
                let read = Double(after.scans - before.scans) / inputs
                if written >= 0.005 { writes[table] = written }
                if read >= 0.005 { scans[table] = read }
            }
            writes["total"] = writes.values.reduce(0, +)
            figures["row_writes_per_input"] = writes
            figures["table_scans_per_input"] = scans
            figures["commits_per_input"] = Double(statsAfter.commits - statsBefore.commits) / inputs
            figures["wal_bytes_per_input"] = Double(statsAfter.walBytes - statsBefore.walBytes) / inputs
        }

        // Reads stay fast (a few hundred, after the load).
        var dashboard = Latencies()
        for _ in 0..<dashboardReads {
            let start = ContinuousClock.now
            _ = try await api.call("GET", "/api/v1/ppic/dashboard", token: planner)
            dashboard.record(start.duration(to: .now))
        }
        figures["dashboard_ms"] = ["p50": dashboard.percentile(0.5).seconds * 1000, "p99": dashboard.percentile(0.99).seconds * 1000]

        let previous = try compare.map { path -> [String: Any] in
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try (JSONSerialization.jsonObject(with: data) as? [String: Any]).orThrow("\(path) is not a bench JSON file")
        }
        printFigures(figures, previous: previous)
        if let json {
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
            print("  figures written to \(json)")
        }
        if wrk.errors > 0 { throw BenchFailure("\(wrk.errors) requests failed (non-2xx, timeouts or socket errors)") }
    }

    /// Until Production's outbox is published and PPIC has every entry of the bench SPKs, and the stack's
    /// processes are quiet again (the other followers finished too).
    private func drained(_ database: Database?, spkIds: [String]) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        if let database {
            let list = spkIds.map { "'\($0)'" }.joined(separator: ",")
            while true {
                let answer = try database.run(
                    """
                    SELECT (SELECT count(*) FROM production.outbox WHERE published_at IS NULL)
                         + abs((SELECT count(*) FROM production.daily_inputs WHERE spk_id IN (\(list)))
                               - (SELECT count(*) FROM ppic.spk_entries WHERE spk_id IN (\(list))));
                    """
                ).trimmingCharacters(in: .whitespacesAndNewlines)
                if answer == "0" { break }
                if ContinuousClock.now > deadline { throw BenchFailure("the stack did not catch up within 120 s (\(answer) behind)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        // Then quiet: the measured processes together use less than a tenth of a core for half a second.
        let processes = process.map { spec -> (String, Int32) in
            let parts = spec.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), Int32(parts[1])!)
        }
        var last = CPUSample(processes)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            let now = CPUSample(processes)
            let used = Double(now.total - last.total) * CPUSample.msPerTick
            last = now
            if used < 50 { return }
        }
    }

    private func runWrk(_ script: WrkScript, seconds: Int) throws -> WrkResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "wrk", "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s", "-s", script.path,
            baseURL,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("WRKJSON ") }),
            let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(8).utf8)) as? [String: Double]
        else {
            throw BenchFailure("wrk failed (is it installed? ./scripts/bench http installs it):\n\(text)")
        }
        return WrkResult(object)
    }

    private func printFigures(_ figures: [String: Any], previous: [String: Any]?) {
        func number(_ object: [String: Any]?, _ path: [String]) -> Double? {
            var current: Any? = object
            for key in path { current = (current as? [String: Any])?[key] }
            return (current as? NSNumber)?.doubleValue
        }
        func line(_ label: String, _ path: [String], _ format: String) {
            let now = number(figures, path).map { String(format: format, $0) } ?? "-"
            if previous != nil {
                let then = number(previous, path).map { String(format: format, $0) } ?? "-"
                print("  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(then.leftPadded(12)) → \(now.leftPadded(10))")
            } else {
                print("  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(now.leftPadded(12))")
            }
        }
        if let previous {
            print("  (left: \(previous["label"] as? String ?? "") \(previous["at"] as? String ?? "") \(previous["git"] as? String ?? ""))")
        }
        line("inputs", ["inputs"], "%.0f")
        line("inputs/s", ["inputs_per_second"], "%.1f")
        line("latency p50 ms", ["latency_ms", "p50"], "%.1f")
        line("latency p99 ms", ["latency_ms", "p99"], "%.1f")
        line("failed requests", ["errors"], "%.0f")
        let processNames = Set(((figures["cpu_ms_per_input"] as? [String: Any]) ?? [:]).keys)
            .union(((previous?["cpu_ms_per_input"] as? [String: Any]) ?? [:]).keys).subtracting(["total"]).sorted()
        line("CPU ms per input, all measured processes", ["cpu_ms_per_input", "total"], "%.2f")
        for name in processNames { line("  \(name)", ["cpu_ms_per_input", name], "%.2f") }
        line("commits per input", ["commits_per_input"], "%.2f")
        line("WAL bytes per input", ["wal_bytes_per_input"], "%.0f")
        let tables = Set(((figures["row_writes_per_input"] as? [String: Any]) ?? [:]).keys)
            .union(((previous?["row_writes_per_input"] as? [String: Any]) ?? [:]).keys).subtracting(["total"]).sorted()
        line("row writes per input (pg_stat ins+upd+del)", ["row_writes_per_input", "total"], "%.2f")
        for table in tables { line("  \(table)", ["row_writes_per_input", table], "%.2f") }
        let scanned = Set(((figures["table_scans_per_input"] as? [String: Any]) ?? [:]).keys)
            .union(((previous?["table_scans_per_input"] as? [String: Any]) ?? [:]).keys).sorted()
        if !scanned.isEmpty { print("  table look-ups per input (idx_scan + seq_scan)") }
        for table in scanned { line("  \(table)", ["table_scans_per_input", table], "%.2f") }
        line("other load on the machine, cores busy", ["machine", "other_busy_cores"], "%.2f")
        line("dashboard p50 ms (after the load)", ["dashboard_ms", "p50"], "%.1f")
        line("dashboard p99 ms", ["dashboard_ms", "p99"], "%.1f")
    }

    private func gitCommit() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// The Lua script wrk runs: POSTs round-robin over the SPKs (each thread from its own place) and, at
/// the end, one `WRKJSON {…}` line with the counts and latency percentiles in microseconds.
struct WrkScript {
    let path: String

    init(paths: [String], token: String, date: String) throws {
        path = NSTemporaryDirectory() + "stitch-bench-\(UUID().uuidString).lua"
        let list = paths.map { "\"\($0)\"" }.joined(separator: ",\n  ")
        let script = """
            local paths = {
              \(list)
            }
            local body = '{"date":"\(date)","qty":1}'
            local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(token)" }
            local threads = {}
            local counter = 1
            function setup(thread)
              thread:set("id", counter)
              counter = counter + 1
              table.insert(threads, thread)
            end
            function init(args)
              i = id * 37
            end
            function request()
              i = i + 1
              return wrk.format("POST", paths[(i % #paths) + 1], headers, body)
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,' ..
                '"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',
                summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
                latency.max, e.status, e.connect, e.read, e.write, e.timeout))
            end
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct WrkResult {
    var requests: Int
    var durationMicros: Int
    var p50: Double, p90: Double, p99: Double, max: Double
    var errors: Int

    init(_ object: [String: Double]) {
        requests = Int(object["requests"] ?? 0)
        durationMicros = Int(object["duration_us"] ?? 1)
        p50 = object["p50"] ?? 0
        p90 = object["p90"] ?? 0
        p99 = object["p99"] ?? 0
        max = object["max"] ?? 0
        errors = ["status", "connect", "read", "write", "timeout"].reduce(0) { $0 + Int(object[$1] ?? 0) }
    }
}

/// utime+stime (clock ticks) of named processes, each with its children: the children alive now, and
/// those that ended and were waited for (cutime+cstime).
struct CPUSample {
    static let msPerTick = 1000.0 / Double(sysconf(Int32(_SC_CLK_TCK)))
    var ticks: [String: Int] = [:]
    var total: Int { ticks.values.reduce(0, +) }

    init(_ processes: [(String, Int32)]) {
        var stats: [Int32: (parent: Int32, own: Int, children: Int)] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "pid (comm) ": state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 1.
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 15, let parent = Int32(fields[1]), let utime = Int(fields[11]), let stime = Int(fields[12]),
                let cutime = Int(fields[13]), let cstime = Int(fields[14])
            else { continue }
            stats[pid] = (parent, utime + stime, cutime + cstime)
        }
        var childrenOf: [Int32: [Int32]] = [:]
        for (pid, stat) in stats { childrenOf[stat.parent, default: []].append(pid) }
        for (name, root) in processes {
            guard let rootStat = stats[root] else { continue }
            var sum = rootStat.own + rootStat.children
            var queue = childrenOf[root] ?? []
            while let pid = queue.popLast() {
                sum += stats[pid]?.own ?? 0
                queue += childrenOf[pid] ?? []
            }
            ticks[name, default: 0] += sum
        }
    }
}

/// The whole machine's busy time (/proc/stat), to say under which other load a run was measured.
struct MachineCPU {
    var busyTicks: Int
    var at = ContinuousClock.now

    init() {
        let line = ((try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? "").split(separator: "\n").first ?? ""
        let values = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
        busyTicks = values.enumerated().filter { $0.offset != 3 && $0.offset != 4 && $0.offset < 8 }.map(\.element).reduce(0, +)
    }

    func since(_ earlier: MachineCPU) -> (busy: Double, elapsed: Double) {
        (Double(busyTicks - earlier.busyTicks) * CPUSample.msPerTick / 1000, earlier.at.duration(to: at).seconds)
    }
}

/// The stack's database through psql as a superuser: pg_stat counters and the drain check.
struct Database {
    let command: String

    struct TableStats {
        var writes: Int
        var scans: Int
        static let zero = TableStats(writes: 0, scans: 0)
    }

    struct Stats {
        var tables: [String: TableStats] = [:]
        var commits = 0
        var walBytes = 0
    }

    func run(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchFailure("psql failed (\(process.terminationStatus)) on: \(sql)") }
        return String(decoding: data, as: UTF8.self)
    }

    func stats() throws -> Stats {
        var stats = Stats()
        let tables = try run(
            """
            SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del, coalesce(idx_scan, 0) + coalesce(seq_scan, 0)
            FROM pg_stat_user_tables;
            """)
        for line in tables.split(separator: "\n") {
            let cells = line.split(separator: "|")
            guard cells.count == 3, let writes = Int(cells[1]), let scans = Int(cells[2]) else { continue }
            stats.tables[String(cells[0])] = TableStats(writes: writes, scans: scans)
        }
        let database = try run(
            """
            SELECT xact_commit, (SELECT wal_bytes FROM pg_stat_wal)::bigint FROM pg_stat_database WHERE datname = current_database();
            """)
        let cells = database.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        if cells.count == 2 {
            stats.commits = Int(cells[0]) ?? 0
            stats.walBytes = Int(cells[1]) ?? 0
        }
        return stats
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
