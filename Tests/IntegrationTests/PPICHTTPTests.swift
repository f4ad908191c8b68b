import Contracts
import Foundation
import PPIC
import ServiceKit
import Testing

/// The planners' reports and alerts over HTTP, on a clock the test sets. Each test plans its SPKs in
/// a year of its own, so figures of a day belong to that test alone; lists are filtered by its codes.
extension ProductionHTTPTests {
    /// An SPK from `start` to `due`, created by the planner: its code.
    static func plannedSPK(
        _ http: HTTPClient, _ token: String, stage: String = "SEWING", qty: Int = 1000, start: String,
        due: String
    ) async throws -> String {
        try await http.ensureArticle("PANDA-\(stage)")
        let reply = try await http.call(
            .post, "/api/v1/production/spks", token: token,
            json: [
                "article_code": "panda-\(stage.lowercased())", "stage": stage, "department": stage, "original_qty": qty,
                "start_date": start, "due_date": due,
            ])
        guard reply.status == 201, let code = reply.data["code"] as? String else {
            throw TestFailure("SPK not created: \(reply.status) \(reply.body)")
        }
        return code
    }

    /// A day's output recorded by the factory manager (any department): the entry's id.
    @discardableResult
    static func produce(_ http: HTTPClient, _ token: String, _ code: String, on date: String, qty: Int, rejects: Int = 0)
        async throws -> String
    {
        let reply = try await http.call(
            .post, "/api/v1/production/spk/\(code)/daily-input", token: token,
            json: ["date": date, "qty": qty, "reject_qty": rejects])
        guard reply.status == 200, let entry = reply.data["entry_id"] as? String else {
            throw TestFailure("input for \(code) refused: \(reply.status) \(reply.body)")
        }
        return entry
    }

    /// The on-track details of `codes`, once PPIC shows each with `actual` as wanted (it learns by events).
    static func health(_ http: HTTPClient, _ token: String, actual wanted: [String: Int]) async throws -> [String: [String: Any]] {
        let box = DetailsBox()
        let caughtUp = await eventually {
            let reply = try? await http.call(.get, "/api/v1/ppic/reports/on-track-status?per_page=500", token: token)
            let details = (reply?.data["details"] as? [[String: Any]] ?? []).filter { wanted[$0["spk"] as? String ?? ""] != nil }
            box.details = Dictionary(details.map { ($0["spk"] as? String ?? "", $0) }) { first, _ in first }
            return wanted.allSatisfy { box.details[$0.key]?["actual"] as? Int == $0.value }
        }
        try #require(caughtUp, "PPIC did not catch up: \(box.details)")
        return box.details
    }

    /// Waits until PPIC holds `count` entries (reversals included) dated in `from…through`: every event applied.
    static func awaitEntries(_ http: HTTPClient, _ count: Int, from: String, through: String) async throws {
        let database = try #require(http.databases["ppic"])
        let sql = "SELECT count(*)::int FROM spk_entries WHERE entry_date BETWEEN '\(from)' AND '\(through)'"
        let arrived = await eventually { (try? await database.count(sql)) == count }
        let held = try await database.count(sql)
        try #require(arrived, "PPIC has \(held) entries of \(count)")
    }

    final class DetailsBox: @unchecked Sendable {  // written only inside one `eventually`
        var details: [String: [String: Any]] = [:]
    }

    static func alerts(_ http: HTTPClient, _ token: String, of codes: Set<String>) async throws -> [(
        type: String, severity: String, spk: String, since: String
    )] {
        let reply = try await http.call(.get, "/api/v1/ppic/alerts?limit=1000", token: token)
        #expect(reply.status == 200, "\(reply.body)")
        return ["critical", "warning"].flatMap { severity in
            (reply.data[severity] as? [[String: Any]] ?? []).compactMap { alert in
                guard let spk = alert["spk"] as? String, codes.contains(spk) else { return nil }
                #expect(alert["severity"] as? String == severity.uppercased() && alert["spk_id"] is String && alert["stage"] is String)
                #expect(!(alert["message"] as? String ?? "").isEmpty)
                return (alert["type"] as? String ?? "", severity, spk, alert["since"] as? String ?? "")
            }
        }
    }

    @Test("SPKs on track, at risk, off track and overdue; their alerts; the next day re-judges them")
    func healthAndAlerts() async throws {
        // Wednesday 2030-06-12. The window Monday 06-03 … Friday 06-14 has 10 working days, 8 begun: 800 of 1000 planned.
        let clock = TestClock(factoryDate: "2030-06-12")
        try await withStack(clock: clock) { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            let onTrack = try await Self.plannedSPK(http, ppic, start: "2030-06-03", due: "2030-06-14")
            let atRisk = try await Self.plannedSPK(http, ppic, start: "2030-06-03", due: "2030-06-14")
            let offTrack = try await Self.plannedSPK(http, ppic, start: "2030-06-03", due: "2030-06-14")
            let overdue = try await Self.plannedSPK(http, ppic, stage: "PACKING", start: "2030-05-27", due: "2030-06-07")
            try await Self.produce(http, manager, onTrack, on: "2030-06-11", qty: 800)
            try await Self.produce(http, manager, atRisk, on: "2030-06-07", qty: 700)  // then nothing on Monday or Tuesday
            try await Self.produce(http, manager, offTrack, on: "2030-06-12", qty: 400, rejects: 40)
            try await Self.produce(http, manager, overdue, on: "2030-06-05", qty: 500)

            let health = try await Self.health(http, ppic, actual: [onTrack: 800, atRisk: 700, offTrack: 400, overdue: 500])
            #expect(health[onTrack]?["health"] as? String == "ON_TRACK" && health[onTrack]?["planned"] as? Int == 800)
            #expect(health[onTrack]?["reason"] as? String == "planned 800 by 2030-06-12, actual 800 (100%)")
            #expect(health[atRisk]?["health"] as? String == "AT_RISK")
            #expect(health[atRisk]?["reason"] as? String == "planned 800 by 2030-06-12, actual 700 (87%)")
            #expect(health[offTrack]?["health"] as? String == "OFF_TRACK")
            #expect(health[offTrack]?["reason"] as? String == "planned 800 by 2030-06-12, actual 400 (50%)")
            #expect(health[overdue]?["health"] as? String == "OFF_TRACK" && health[overdue]?["planned"] as? Int == 1000)
            #expect(health[overdue]?["reason"] as? String == "past due since 2030-06-08, actual 500 of 1000")
            #expect(health[overdue]?["stage"] as? String == "PACKING" && health[overdue]?["spk_id"] is String)

            let alerts = try await Self.alerts(http, ppic, of: [onTrack, atRisk, offTrack, overdue])
            let found = Set(alerts.map { "\($0.type) \($0.severity) \($0.spk) \($0.since)" })
            #expect(
                found == [
                    "PAST_DUE critical \(overdue) 2030-06-08", "OFF_TRACK critical \(offTrack) 2030-06-12",
                    "AT_RISK warning \(atRisk) 2030-06-12", "NO_INPUT warning \(atRisk) 2030-06-10",
                    "HIGH_REJECT_RATE warning \(offTrack) 2030-06-12", "NO_INPUT warning \(overdue) 2030-06-06",
                ])

            let dashboard = try await http.call(.get, "/api/v1/ppic/dashboard", token: ppic).data
            let counts = dashboard["health"] as? [String: Int] ?? [:]
            #expect(counts["on_track"] ?? 0 >= 1 && counts["at_risk"] ?? 0 >= 1 && counts["off_track"] ?? 0 >= 2)
            let top = dashboard["top_alerts"] as? [[String: Any]] ?? []
            #expect(top.count == 5 && top.first?["severity"] as? String == "CRITICAL")
            #expect(dashboard["total_spks"] is Int && dashboard["by_stage"] is [String: Any])  // what it had before stays

            // Thursday: 900 are planned now and nothing arrived, so the on-track SPK falls behind without any event.
            clock.set(factoryDate: "2030-06-13")
            let thursday = try await Self.health(http, ppic, actual: [onTrack: 800])
            #expect(thursday[onTrack]?["health"] as? String == "AT_RISK")
            #expect(thursday[onTrack]?["reason"] as? String == "planned 900 by 2030-06-13, actual 800 (88%)")
            #expect(try await Self.alerts(http, ppic, of: [onTrack]).map(\.since) == ["2030-06-13"])

            // An event still re-judges at once: 100 more puts it back on track.
            try await Self.produce(http, manager, onTrack, on: "2030-06-13", qty: 100)
            let caughtUp = try await Self.health(http, ppic, actual: [onTrack: 900])
            #expect(caughtUp[onTrack]?["health"] as? String == "ON_TRACK")
        }
    }

    @Test("on-track status filters by stage and health, pages worst first, and refuses bad values")
    func onTrackStatusFilters() async throws {
        let clock = TestClock(factoryDate: "2030-06-12")
        try await withStack(clock: clock) { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            let behind = try await Self.plannedSPK(http, ppic, stage: "FINISHING", start: "2030-06-03", due: "2030-06-14")
            let ahead = try await Self.plannedSPK(http, ppic, stage: "FINISHING", start: "2030-06-03", due: "2030-06-14")
            try await Self.produce(http, manager, behind, on: "2030-06-12", qty: 700)
            try await Self.produce(http, manager, ahead, on: "2030-06-12", qty: 900)
            _ = try await Self.health(http, ppic, actual: [behind: 700, ahead: 900])

            let filtered = try await http.call(.get, "/api/v1/ppic/reports/on-track-status?stage=finishing&health=AT_RISK", token: ppic)
            #expect(filtered.status == 200)
            let details = filtered.data["details"] as? [[String: Any]] ?? []
            #expect(details.contains { $0["spk"] as? String == behind } && !details.contains { $0["spk"] as? String == ahead })
            #expect(details.allSatisfy { $0["stage"] as? String == "FINISHING" && $0["health"] as? String == "AT_RISK" })
            #expect(filtered.data["on_track"] as? Int == 0 && filtered.data["off_track"] as? Int == 0)
            let meta = filtered.body["meta"] as? [String: Any] ?? [:]
            #expect(meta["total"] as? Int == filtered.data["at_risk"] as? Int && meta["page"] as? Int == 1 && meta["per_page"] as? Int == 50)

            let all = try await http.call(.get, "/api/v1/ppic/reports/on-track-status?per_page=500", token: ppic)
            let ranks = (all.data["details"] as? [[String: Any]] ?? []).map {
                ["OFF_TRACK": 0, "AT_RISK": 1, "ON_TRACK": 2][$0["health"] as? String ?? ""] ?? 9
            }
            #expect(ranks == ranks.sorted() && !ranks.isEmpty)
            let total = (all.body["meta"] as? [String: Any])?["total"] as? Int ?? 0
            #expect(total == ["on_track", "at_risk", "off_track"].reduce(0) { $0 + (all.data[$1] as? Int ?? 0) })
            let second = try await http.call(.get, "/api/v1/ppic/reports/on-track-status?per_page=1&page=2", token: ppic)
            #expect((second.data["details"] as? [[String: Any]])?.count == 1)
            #expect(second.body["meta"] as? [String: Int] == ["page": 2, "per_page": 1, "total": total])

            for bad in ["stage=GLUING", "health=GREAT", "per_page=501", "page=0"] {
                let reply = try await http.call(.get, "/api/v1/ppic/reports/on-track-status?\(bad)", token: ppic)
                #expect(reply.status == 400 && reply.errorFields == [String(bad.split(separator: "=")[0])], "\(bad): \(reply.body)")
            }
            #expect(try await http.call(.get, "/api/v1/ppic/alerts?limit=0", token: ppic).errorFields == ["limit"])
            #expect(try await http.call(.get, "/api/v1/ppic/alerts?limit=x", token: ppic).status == 400)
            let staff = try await http.login("staff_sewing", "staff-dev-123")
            for path in ["dashboard", "reports/daily-summary", "reports/on-track-status", "alerts"] {
                #expect(try await http.call(.get, "/api/v1/ppic/\(path)", token: staff).status == 403)
                #expect(try await http.call(.get, "/api/v1/ppic/\(path)").status == 401)
            }
            let chief = try await http.login("manager", "manager-dev-123")
            #expect(try await http.call(.get, "/api/v1/ppic/alerts", token: chief).status == 200)
        }
    }

    @Test("daily summary: each active SPK's daily rate against good output of the day, reversals included")
    func dailySummary() async throws {
        // Wednesday 2031-03-12; Saturday 03-08 and Sunday 03-09 are rest days.
        let clock = TestClock(factoryDate: "2031-03-12")
        try await withStack(clock: clock) { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            let spv = try await http.login("spv_sewing", "spv-dev-123")
            // 1000 over 10 working days: 100 a day. 500 over 10: 50 a day. A cancelled SPK plans nothing.
            // A weekend-only window counts calendar days: 100 over 2 days, 50 a day.
            let embroidery = try await Self.plannedSPK(http, ppic, stage: "EMBROIDERY", qty: 1000, start: "2031-03-03", due: "2031-03-14")
            let sewing = try await Self.plannedSPK(http, ppic, qty: 500, start: "2031-03-10", due: "2031-03-21")
            let dropped = try await Self.plannedSPK(http, ppic, qty: 300, start: "2031-03-10", due: "2031-03-14")
            let weekend = try await Self.plannedSPK(http, ppic, stage: "PACKING", qty: 100, start: "2031-03-08", due: "2031-03-09")
            #expect(
                try await http.call(
                    .post, "/api/v1/production/spk/\(dropped)/cancel", token: ppic,
                    json: ["reason": "order dropped"]
                ).status == 200)
            try await Self.produce(http, manager, embroidery, on: "2031-03-11", qty: 90, rejects: 5)
            try await Self.produce(http, manager, sewing, on: "2031-03-11", qty: 60)
            let wrong = try await Self.produce(http, manager, sewing, on: "2031-03-11", qty: 20)
            #expect(
                try await http.call(
                    .post, "/api/v1/production/daily-input/\(wrong)/void", token: spv,
                    json: ["reason": "typed twice"]
                ).status == 200)
            try await Self.produce(http, manager, weekend, on: "2031-03-09", qty: 40)

            try await Self.awaitEntries(http, 5, from: "2031-03-09", through: "2031-03-11")
            let tuesday = try await http.call(.get, "/api/v1/ppic/reports/daily-summary?date=2031-03-11", token: ppic).data
            #expect(tuesday["date"] as? String == "2031-03-11")
            #expect(tuesday["target"] as? Int == 150 && tuesday["actual"] as? Int == 150 && tuesday["variance"] as? Int == 0)
            let stages = tuesday["by_stage"] as? [[String: Any]] ?? []
            #expect(stages.map { $0["stage"] as? String } == ["CUTTING", "EMBROIDERY", "SEWING", "FINISHING", "PACKING"])
            #expect(
                stages.map { [$0["target"] as? Int, $0["actual"] as? Int, $0["variance"] as? Int] } == [
                    [0, 0, 0], [100, 90, -10], [50, 60, 10], [0, 0, 0], [0, 0, 0],
                ])

            let sunday = try await http.call(.get, "/api/v1/ppic/reports/daily-summary?date=2031-03-09", token: ppic).data
            #expect(sunday["target"] as? Int == 50 && sunday["actual"] as? Int == 40 && sunday["variance"] as? Int == -10)
            let today = try await http.call(.get, "/api/v1/ppic/reports/daily-summary", token: ppic).data
            #expect(today["date"] as? String == "2031-03-12" && today["target"] as? Int == 150 && today["actual"] as? Int == 0)
            let bad = try await http.call(.get, "/api/v1/ppic/reports/daily-summary?date=2031-02-30", token: ppic)
            #expect(bad.status == 400 && bad.errorFields == ["date"])
        }
    }

    @Test("a later stage of an order with no WIP from the one before is starved; an approval waiting too long warns")
    func starvedAndWaiting() async throws {
        // Wednesday 2030-09-11; the order's window 09-02 … 09-13 is shared: cutting 09-02 … 09-07, sewing 09-08 … 09-13.
        let clock = TestClock(factoryDate: "2030-09-11")
        try await withStack(clock: clock) { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            try await http.ensureArticle("OTTER-20CM")
            let order = try await http.call(
                .post, "/api/v1/production/orders", token: ppic,
                json: [
                    "article_code": "otter-20cm", "qty": 100, "start_date": "2030-09-02", "due_date": "2030-09-13",
                    "stages": ["CUTTING", "SEWING"],
                ])
            #expect(order.status == 201, "\(order.body)")
            let codes = (order.data["spks"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            try #require(codes.count == 2)
            let cut = try await http.call(
                .post, "/api/v1/production/spk/\(codes[0])/daily-input", token: manager,
                json: [
                    "date": "2030-09-04", "qty": 30, "shift": "DAY", "operator_id": "staff_cutting",
                ])
            #expect(cut.status == 200, "\(cut.body)")
            try await Self.produce(http, manager, codes[1], on: "2030-09-10", qty: 30)
            _ = try await Self.health(http, ppic, actual: [codes[0]: 30, codes[1]: 30])
            let starved = await eventually {
                (try? await Self.alerts(http, ppic, of: [codes[1]]))?.contains { $0.type == "WIP_STARVED" } == true
            }
            #expect(starved)
            // Cutting passes 10 more on: sewing is fed again, judged on cutting's event alone.
            let more = try await http.call(
                .post, "/api/v1/production/spk/\(codes[0])/daily-input", token: manager,
                json: [
                    "date": "2030-09-05", "qty": 10, "shift": "DAY", "operator_id": "staff_cutting",
                ])
            #expect(more.status == 200)
            #expect(
                await eventually {
                    (try? await Self.alerts(http, ppic, of: [codes[1]]))?.contains { $0.type == "WIP_STARVED" } == false
                })

            // The request is made now (Approval's clock); PPIC's clock is years ahead, so it has waited too long.
            #expect(try await Self.requestChange(http, token: ppic, spk: codes[1], newQty: 90).status == 201)
            #expect(
                await eventually {
                    (try? await Self.alerts(http, ppic, of: [codes[1]]))?.contains { $0.type == "APPROVAL_WAITING" && $0.severity == "warning" }
                        == true
                })
        }
    }

    @Test("rebuilding PPIC from Production gives the same dashboard and health as before")
    func rebuildMatches() async throws {
        Observability.bootstrap(level: .error)  // so /metrics holds PPIC's lag gauges
        let clock = TestClock(factoryDate: "2032-09-15")
        try await withStack(clock: clock) { http in
            let ppic = try await http.login("ppic", "ppic-dev-123")
            let manager = try await http.login("manager", "manager-dev-123")
            let prodManager = try await http.login("prod_manager", "prodmgr-dev-123")
            let steady = try await Self.plannedSPK(http, ppic, start: "2032-09-06", due: "2032-09-17")
            let slow = try await Self.plannedSPK(http, ppic, stage: "PACKING", start: "2032-09-06", due: "2032-09-17")
            let late = try await Self.plannedSPK(http, ppic, stage: "EMBROIDERY", start: "2032-08-30", due: "2032-09-10")
            try await Self.produce(http, manager, steady, on: "2032-09-14", qty: 800)
            try await Self.produce(http, manager, slow, on: "2032-09-13", qty: 500, rejects: 60)
            let typo = try await Self.produce(http, manager, slow, on: "2032-09-14", qty: 200)
            // PACKING's entry: a production manager voids it (a SEWING supervisor reaches SEWING's work only).
            #expect(
                try await http.call(
                    .post, "/api/v1/production/daily-input/\(typo)/void", token: prodManager,
                    json: ["reason": "wrong SPK"]
                ).status == 200)
            try await Self.produce(http, manager, late, on: "2032-09-01", qty: 100)
            let codes: Set = [steady, slow, late]
            try await Self.awaitEntries(http, 5, from: "2032-08-30", through: "2032-09-15")
            let before = try await Self.health(http, ppic, actual: [steady: 800, slow: 500, late: 100])

            func snapshot() async throws -> [String] {
                var dashboard = try await http.call(.get, "/api/v1/ppic/dashboard", token: ppic).data
                // Alerts of other tests' SPKs first seen on other days are dated from the rebuild: compare their kind.
                dashboard["top_alerts"] = (dashboard["top_alerts"] as? [[String: Any]] ?? []).map { "\($0["type"] ?? "") \($0["spk"] ?? "")" }
                let summary = try await http.call(.get, "/api/v1/ppic/reports/daily-summary?date=2032-09-14", token: ppic).data
                let alerts = try await Self.alerts(http, ppic, of: codes).map { "\($0.type) \($0.spk) \($0.since)" }.sorted()
                return [dashboard, summary].map {
                    String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: .sortedKeys), as: UTF8.self)
                }
                    + alerts
            }
            let expected = try await snapshot()
            #expect(expected.contains("HIGH_REJECT_RATE \(slow) 2032-09-15"))
            #expect(Observability.exposition().contains("ppic_event_lag_seconds"))

            // The read model is lost …
            let database = try #require(http.databases["ppic"])
            try await database.query("TRUNCATE spk_view, spk_entries, spk_alerts", logger: TestEnvironment.logger)
            let empty = try await http.call(.get, "/api/v1/ppic/reports/on-track-status?per_page=500", token: ppic).data
            #expect(!(empty["details"] as? [[String: Any]] ?? []).contains { codes.contains($0["spk"] as? String ?? "") })

            // … and rebuilt from Production while the service runs.
            let bus = try #require(http.bus)
            let outcome = try await PPICRebuild.run(client: database, bus: bus, now: clock.now, logger: TestEnvironment.logger)
            #expect(outcome.spks >= 3 && outcome.entries >= 5)
            let after = try await Self.health(http, ppic, actual: [steady: 800, slow: 500, late: 100])
            for code in codes {
                #expect(after[code]?["health"] as? String == before[code]?["health"] as? String)
                #expect(after[code]?["reason"] as? String == before[code]?["reason"] as? String)
            }
            #expect(try await snapshot() == expected)
        }
    }
}
