import Contracts
import Foundation
import Testing

@testable import Production

/// Orders through stages, the WIP rule, shifts and operators — the rules without a database.
@Suite struct StageFlowRulesTests {
    let policy = ProductionPolicy(timeZone: .gmt)
    /// The factory's date the entries are judged on.
    let today = LocalDate("2026-03-10")!
    let planner = Actor(userId: "9", username: "ppic", roles: ["PPIC_MANAGER"], department: nil)
    let cutter = OperatorRef(id: UUID(), username: "staff_cutting", department: "CUTTING", active: true)

    func spk(_ stage: Stage, produced: Int = 0, sequence: Int? = nil) -> SPK {
        SPK(
            id: UUID(), code: "SPK-20260301-000\(sequence ?? 0)", articleCode: "BEAR", stage: stage, department: stage.department,
            originalQty: 100, targetQty: 100, producedQty: produced, rejectQty: 0, progress: 0,
            status: produced > 0 ? .inProgress : .notStarted, startDate: LocalDate("2026-03-05")!, dueDate: LocalDate("2026-03-20")!,
            notes: nil, createdBy: "ppic", createdAt: Date(), updatedAt: Date(), version: 1, orderId: sequence.map { _ in UUID() },
            orderCode: sequence.map { _ in "MO-20260301-0001" }, sequence: sequence)
    }

    func order(stages: [Stage]? = nil, start: String = "2026-03-01", due: String = "2026-03-10") -> CreateOrder {
        CreateOrder(articleCode: "bear", qty: 100, startDate: LocalDate(start)!, dueDate: LocalDate(due)!, stages: stages)
    }

    @Test func aRouteMayBeShortenedButKeepsItsOrder() throws {
        #expect(try OrderRules.validate(order(), actor: planner, today: today) == Stage.defaultRoute)
        #expect(
            try OrderRules.validate(order(stages: [.cutting, .sewing, .packing]), actor: planner, today: today) == [
                .cutting, .sewing, .packing,
            ])
        for bad: [Stage] in [[], [.sewing, .cutting], [.cutting, .cutting]] {
            #expect(throws: ErrorReply.self) { try OrderRules.validate(order(stages: bad), actor: planner, today: today) }
        }
        let staff = Actor(userId: "1", username: "s", roles: ["PRODUCTION_STAFF"], department: "SEWING")
        #expect { try OrderRules.validate(order(), actor: staff, today: today) } throws: { ($0 as? ErrorReply)?.code == .forbidden }
    }

    @Test func theWindowIsSharedOutInRouteOrder() {
        let windows = OrderRules.plannedWindows(stages: 5, start: LocalDate("2026-03-01")!, due: LocalDate("2026-03-10")!)
        #expect(windows.map(\.start.description) == ["2026-03-01", "2026-03-03", "2026-03-05", "2026-03-07", "2026-03-09"])
        #expect(windows.map(\.due.description) == ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-08", "2026-03-10"])
        // Fewer days than stages: stages share days, none ends before it starts, the last ends on the due date.
        let tight = OrderRules.plannedWindows(stages: 3, start: LocalDate("2026-03-01")!, due: LocalDate("2026-03-02")!)
        #expect(tight.allSatisfy { $0.start <= $0.due })
        #expect(tight.last?.due.description == "2026-03-02")
        #expect(OrderRules.code(day: LocalDate("2026-03-01")!, sequence: 7) == "MO-20260301-0007")
    }

    @Test func aStageCannotReportMoreThanThePreviousStagePassedOn() throws {
        let cutting = spk(.cutting, produced: 60, sequence: 1)
        let sewing = spk(.sewing, produced: 20, sequence: 2)
        let sewer = Actor(userId: "2", username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")
        let around = DailyInputRules.Surroundings(previousStage: cutting)
        let entry = { (qty: Int) in DailyInputEntry(date: LocalDate("2026-03-10")!, qty: qty) }
        #expect(try DailyInputRules.apply(entry(40), to: sewing, actor: sewer, policy: policy, today: today, surroundings: around).producedQty == 60)
        #expect { try DailyInputRules.apply(entry(41), to: sewing, actor: sewer, policy: policy, today: today, surroundings: around) } throws: {
            let error = $0 as? ErrorReply
            return error?.code == .ruleViolated && error?.details.first?.message == "at most 40 available from CUTTING"
        }
        // Voiding upstream output that downstream already used is refused.
        let supervisor = Actor(userId: "4", username: "spv_cutting", roles: ["PRODUCTION_SPV"], department: "CUTTING")
        #expect {
            try SPKLifecycle.void(qty: 50, rejects: 0, from: cutting, actor: supervisor, reason: "typo", now: Date(), nextStage: sewing)
        } throws: { ($0 as? ErrorReply)?.code == .ruleViolated }
        #expect(
            try SPKLifecycle.void(
                qty: 40, rejects: 0, from: cutting, actor: supervisor, reason: "typo", now: Date(),
                nextStage: sewing
            ).producedQty == 20)
    }

    @Test func aShiftBasedStageNeedsAShiftAndAnOperatorOfItsDepartment() throws {
        let cutting = spk(.cutting)
        let staff = Actor(userId: "3", username: "staff_cutting", roles: ["PRODUCTION_STAFF"], department: "CUTTING")
        func record(shift: Shift?, operatorId: String?, found: OperatorRef?) throws -> DailyInputRules.Outcome {
            try DailyInputRules.apply(
                DailyInputEntry(date: LocalDate("2026-03-10")!, qty: 5, shift: shift, operatorId: operatorId),
                to: cutting, actor: staff, policy: policy, today: today, surroundings: .init(operator: found))
        }
        let recorded = try record(shift: .night, operatorId: "staff_cutting", found: cutter)
        #expect(recorded.shift == .night && recorded.operatorId == cutter.id.uuidString)
        #expect { try record(shift: nil, operatorId: nil, found: nil) } throws: {
            Set(($0 as? ErrorReply)?.details.map(\.field) ?? []) == ["shift", "operator_id"]
        }
        #expect(throws: ErrorReply.self) { try record(shift: Shift.none, operatorId: "staff_cutting", found: cutter) }
        #expect(throws: ErrorReply.self) { try record(shift: .day, operatorId: "ghost", found: nil) }
        let sewer = OperatorRef(id: UUID(), username: "staff_sewing", department: "SEWING", active: true)
        #expect(throws: ErrorReply.self) { try record(shift: .day, operatorId: "staff_sewing", found: sewer) }
        var gone = cutter
        gone.active = false
        #expect(throws: ErrorReply.self) { try record(shift: .day, operatorId: "staff_cutting", found: gone) }

        // Other stages record NONE whatever was sent, and need no operator.
        let sewerActor = Actor(userId: "2", username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")
        let sewing = try DailyInputRules.apply(
            DailyInputEntry(date: LocalDate("2026-03-10")!, qty: 5, shift: .day),
            to: spk(.sewing), actor: sewerActor, policy: policy, today: today)
        #expect(sewing.shift == Shift.none && sewing.operatorId == nil)
    }

    @Test func theShiftFollowsTheFactoryClock() {
        var policy = ProductionPolicy(timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        func shift(at utc: String) -> CurrentShift {
            ShiftCalendar.current(at: ISO8601DateFormatter().date(from: utc)!, policy: policy)
        }
        // 08:00 in Jakarta (UTC+7) is the day shift; 20:00 the night shift; 03:00 the night shift of the day before.
        let day = shift(at: "2026-03-10T01:00:00Z")
        #expect(day.shift == .day && day.date.description == "2026-03-10")
        #expect(day.startsAt == ISO8601DateFormatter().date(from: "2026-03-10T00:00:00Z"))
        #expect(shift(at: "2026-03-10T13:00:00Z").shift == .night)
        let lateNight = shift(at: "2026-03-10T20:00:00Z")
        #expect(lateNight.shift == .night && lateNight.date.description == "2026-03-10")
        #expect(lateNight.endsAt == ISO8601DateFormatter().date(from: "2026-03-11T00:00:00Z"))
        policy.dayShiftStart = 6 * 60
        #expect(shift(at: "2026-03-10T23:30:00Z").shift == .day)
        #expect(ShiftCalendar.minutes("07:30") == 450 && ShiftCalendar.minutes("7:30") == nil && ShiftCalendar.minutes("24:00") == nil)
    }
}
