import Contracts
import PPIC
import Testing

private func day(_ text: String) -> LocalDate { LocalDate(text)! }

/// An SPK of 1,000 pieces over two working weeks: Monday 2026-11-02 to Friday 2026-11-13 (10 working days).
private func spk(
    produced: Int, rejects: Int = 0, status: SPKStatus = .inProgress, start: String = "2026-11-02",
    due: String = "2026-11-13", lastInput: String? = nil,
    previous: SPKFigures.PreviousStage? = nil
) -> SPKFigures {
    SPKFigures(
        code: "SPK-TEST", status: status, targetQty: 1000, producedQty: produced, rejectQty: rejects,
        startDate: day(start), dueDate: day(due), lastInputDate: lastInput.map(day), previousStage: previous)
}

@Suite("Health rules")
struct HealthRulesTests {
    let rules = HealthRules()
    /// Monday of the second week: 6 of 10 working days have begun, so 600 are planned.
    let monday = day("2026-11-09")

    @Test("planned grows by working day; 95% is on track, 80% at risk, below is off track")
    func thresholds() throws {
        let onTrack = try #require(rules.assess(spk(produced: 570, lastInput: "2026-11-09"), today: monday))
        #expect(onTrack.planned == 600 && onTrack.health == .onTrack)
        #expect(onTrack.reason == "planned 600 by 2026-11-09, actual 570 (95%)")
        #expect(rules.assess(spk(produced: 569), today: monday)?.health == .atRisk)
        #expect(rules.assess(spk(produced: 480), today: monday)?.health == .atRisk)
        let off = try #require(rules.assess(spk(produced: 300), today: monday))
        #expect(off.health == .offTrack && off.reason == "planned 600 by 2026-11-09, actual 300 (50%)")
        // The weekend plans nothing more: Saturday and Sunday still expect Friday's 500.
        #expect(rules.assess(spk(produced: 0), today: day("2026-11-08"))?.planned == 500)
    }

    @Test("thresholds are settings")
    func customThresholds() {
        let lenient = HealthRules(thresholds: HealthThresholds(onTrackPercent: 50, atRiskPercent: 30))
        #expect(lenient.assess(spk(produced: 300), today: monday)?.health == .onTrack)
        #expect(lenient.assess(spk(produced: 200), today: monday)?.health == .atRisk)
        let sixDays = HealthRules(calendar: WorkingCalendar(parsing: "MON,TUE,WED,THU,FRI,SAT")!)
        // 11 working days; by Monday 7 have begun: 1000 × 7 / 11 = 636.4.
        #expect(sixDays.assess(spk(produced: 0), today: monday)?.planned == 636)
    }

    @Test("past due is off track whatever was made, and a critical alert dated from the day after the due date")
    func pastDue() throws {
        let late = try #require(rules.assess(spk(produced: 990, lastInput: "2026-11-13"), today: day("2026-11-16")))
        #expect(late.health == .offTrack && late.planned == 1000)
        #expect(late.reason == "past due since 2026-11-14, actual 990 of 1000")
        #expect(late.alerts.map(\.type) == [.pastDue])
        #expect(late.alerts.first?.severity == .critical && late.alerts.first?.since == day("2026-11-14"))
        // On the due date itself it is judged by its figures.
        #expect(rules.assess(spk(produced: 990), today: day("2026-11-13"))?.health == .onTrack)
    }

    @Test("before its start nothing is planned; a window of only rest days counts calendar days")
    func edges() throws {
        let early = try #require(rules.assess(spk(produced: 0, status: .notStarted), today: day("2026-10-30")))
        #expect(early.health == .onTrack && early.planned == 0 && early.reason == "starts 2026-11-02, nothing planned yet, actual 0")
        let weekend = try #require(rules.assess(spk(produced: 100, start: "2026-11-07", due: "2026-11-08"), today: day("2026-11-07")))
        #expect(weekend.planned == 500 && weekend.health == .offTrack)
        for status in [SPKStatus.completed, .cancelled, .closed] {
            #expect(rules.assess(spk(produced: 0, status: status), today: day("2026-12-01")) == nil)
        }
        #expect(rules.assess(spk(produced: 0, status: .onHold), today: monday)?.health == .offTrack)
    }

    @Test("health keeps its date while it holds and takes today's when it changes")
    func healthSince() {
        let before = PreviousAssessment(health: .atRisk, healthSince: day("2026-11-05"))
        #expect(rules.assess(spk(produced: 500), today: monday, previous: before)?.healthSince == day("2026-11-05"))
        #expect(rules.assess(spk(produced: 300), today: monday, previous: before)?.healthSince == monday)
        let alert = rules.assess(spk(produced: 500), today: monday, previous: before)?.alerts.first
        #expect(alert?.type == .atRisk && alert?.severity == .warning && alert?.since == day("2026-11-05"))
    }

    @Test("no input for two whole working days while in progress; the weekend and today do not count")
    func noInput() throws {
        let idle = try #require(rules.assess(spk(produced: 570, lastInput: "2026-11-04"), today: monday))
        let alert = try #require(idle.alerts.first { $0.type == .noInput })
        #expect(alert.since == day("2026-11-05") && alert.severity == .warning)
        #expect(alert.message == "no input for 2 working days (last input 2026-11-04)")
        #expect(rules.assess(spk(produced: 570, lastInput: "2026-11-05"), today: monday)?.alerts.contains { $0.type == .noInput } == false)
        #expect(
            rules.assess(spk(produced: 570, status: .onHold, lastInput: "2026-11-02"), today: monday)?
                .alerts.contains { $0.type == .noInput } == false)
    }

    @Test("a reject rate above the limit warns, and keeps the day it was first seen")
    func rejectRate() throws {
        let high = try #require(rules.assess(spk(produced: 570, rejects: 36, lastInput: "2026-11-09"), today: monday))
        let alert = try #require(high.alerts.first { $0.type == .highRejectRate })
        #expect(alert.message == "reject rate 5.9% (36 of 606) is above 5%" && alert.since == monday)
        let earlier = PreviousAssessment(alertsSince: [.highRejectRate: day("2026-11-03")])
        #expect(
            rules.assess(spk(produced: 570, rejects: 36), today: monday, previous: earlier)?
                .alerts.first { $0.type == .highRejectRate }?.since == day("2026-11-03"))
        // 30 of 600 is exactly 5%: not above.
        #expect(rules.assess(spk(produced: 570, rejects: 30, lastInput: "2026-11-09"), today: monday)?.alerts.isEmpty == true)
    }

    @Test("a later stage inside its window with nothing passed on by an unfinished previous stage is starved")
    func wipStarved() throws {
        let cutting = SPKFigures.PreviousStage(code: "SPK-CUT", stage: .cutting, producedQty: 570, status: .inProgress)
        let starved = try #require(rules.assess(spk(produced: 570, lastInput: "2026-11-09", previous: cutting), today: monday))
        #expect(starved.alerts.map(\.type) == [.wipStarved])
        #expect(starved.alerts[0].message == "no WIP from CUTTING SPK-CUT: it produced 570, this stage 570")
        var done = cutting
        done.status = .completed
        #expect(rules.assess(spk(produced: 570, lastInput: "2026-11-09", previous: done), today: monday)?.alerts.isEmpty == true)
        var ahead = cutting
        ahead.producedQty = 571
        #expect(rules.assess(spk(produced: 570, lastInput: "2026-11-09", previous: ahead), today: monday)?.alerts.isEmpty == true)
        #expect(
            rules.assess(spk(produced: 0, status: .notStarted, start: "2026-11-10", previous: cutting), today: monday)?
                .alerts.isEmpty == true)
    }
}
