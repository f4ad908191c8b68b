import Contracts
import Foundation
import Testing

@testable import Production

@Suite struct DailyInputRulesTests {
    let policy = ProductionPolicy(
        timeZone: .gmt, overrunTolerancePercent: 10)
    /// The factory's date the entries are judged on.
    let today = LocalDate("2026-03-10")!
    let staffSewing = Actor(userId: "1", username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")

    func spk(target: Int = 100, produced: Int = 0, status: SPKStatus = .notStarted) -> SPK {
        SPK(
            id: UUID(), code: "SPK-20260301-0001", articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: target,
            targetQty: target, producedQty: produced, rejectQty: 0, progress: 0, status: status,
            startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-20")!, notes: nil, createdBy: "ppic",
            createdAt: Date(), updatedAt: Date(), version: 1)
    }

    func entry(_ date: String = "2026-03-10", qty: Int, rejects: Int = 0) -> DailyInputEntry {
        DailyInputEntry(date: LocalDate(date)!, qty: qty, rejectQty: rejects)
    }

    @Test func firstInputStartsAndReachingTheTargetCompletes() throws {
        let started = try DailyInputRules.apply(entry(qty: 40, rejects: 2), to: spk(), actor: staffSewing, policy: policy, today: today)
        #expect(started == .init(producedQty: 40, rejectQty: 2, status: .inProgress, shift: .none))
        let done = try DailyInputRules.apply(
            entry(qty: 60), to: spk(produced: 40, status: .inProgress), actor: staffSewing, policy: policy, today: today)
        #expect(done.status == .completed && done.producedQty == 100)
    }

    @Test func overrunUpToTheToleranceIsAllowedBeyondItRefused() throws {
        #expect(try DailyInputRules.apply(entry(qty: 110), to: spk(), actor: staffSewing, policy: policy, today: today).producedQty == 110)
        do {
            _ = try DailyInputRules.apply(entry(qty: 111), to: spk(), actor: staffSewing, policy: policy, today: today)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .ruleViolated)
            #expect(error.details.first?.field == "qty")
            #expect(error.details.first?.message.contains("110") == true)
        }
    }

    @Test(arguments: [(-1, 0, "qty"), (0, -1, "reject_qty"), (0, 0, "qty")])
    func invalidQuantities(qty: Int, rejects: Int, field: String) {
        #expect(throws: ErrorReply.self) { try DailyInputRules.validate(entry(qty: qty, rejects: rejects)) }
        do { try DailyInputRules.validate(entry(qty: qty, rejects: rejects)) } catch {
            #expect(error.code == .validationFailed && error.details.map(\.field).contains(field))
        }
    }

    @Test func datesMustBeWithinStartAndToday() {
        for (date, field) in [("2026-03-11", "date"), ("2026-02-28", "date")] {
            do {
                _ = try DailyInputRules.apply(entry(date, qty: 1), to: spk(), actor: staffSewing, policy: policy, today: today)
                Issue.record("expected \(date) to be refused")
            } catch {
                #expect(error.code == .ruleViolated && error.details.first?.field == field)
            }
        }
    }

    @Test func staffAndSupervisorsRecordOnlyForTheirDepartmentManagersForAny() throws {
        let cutter = Actor(userId: "2", username: "staff_cutting", roles: ["PRODUCTION_STAFF"], department: "CUTTING")
        let cuttingSupervisor = Actor(userId: "3", username: "spv_cutting", roles: ["PRODUCTION_SPV"], department: "CUTTING")
        for actor in [cutter, cuttingSupervisor] {
            do {
                _ = try DailyInputRules.apply(entry(qty: 1), to: spk(), actor: actor, policy: policy, today: today)
                Issue.record("expected 403 for \(actor.username)")
            } catch { #expect(error.code == .forbidden) }
        }
        let sewingSupervisor = Actor(userId: "5", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
        #expect(try DailyInputRules.apply(entry(qty: 1), to: spk(), actor: sewingSupervisor, policy: policy, today: today).producedQty == 1)
        let manager = Actor(userId: "6", username: "prod_manager", roles: ["PRODUCTION_MANAGER"])
        #expect(try DailyInputRules.apply(entry(qty: 1), to: spk(), actor: manager, policy: policy, today: today).producedQty == 1)
        let planner = Actor(userId: "4", username: "ppic", roles: ["PPIC_STAFF"])
        do {
            _ = try DailyInputRules.apply(entry(qty: 1), to: spk(), actor: planner, policy: policy, today: today)
            Issue.record("expected 403")
        } catch { #expect(error.code == .forbidden) }
    }

    @Test func closedSPKsTakeNoInput() {
        for status in [SPKStatus.completed, .cancelled] {
            do {
                _ = try DailyInputRules.apply(entry(qty: 1), to: spk(produced: 100, status: status), actor: staffSewing, policy: policy, today: today)
                Issue.record("expected 409")
            } catch { #expect(error.code == .conflict) }
        }
    }

    @Test func codesAndProgress() {
        #expect(SPKRules.code(day: LocalDate("2026-01-28")!, sequence: 7) == "SPK-20260128-0007")
        #expect(progressPercent(produced: 1, target: 3) == 33.3)
        #expect(progressPercent(produced: 2, target: 3) == 66.7)
        #expect(policy.maximumOutput(target: 95) == 104)
    }
}

@Suite struct SPKLifecycleTests {
    let planner = Actor(userId: "p", username: "ppic", roles: ["PPIC_MANAGER"])

    func spk(_ status: SPKStatus, produced: Int = 0, target: Int = 100) -> SPK {
        SPK(
            id: UUID(), code: "SPK-20260301-0001", articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: target,
            targetQty: target, producedQty: produced, rejectQty: 0, progress: 0, status: status,
            startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-20")!, notes: nil, createdBy: "ppic",
            createdAt: Date(), updatedAt: Date(), version: 1)
    }

    @Test(arguments: [
        (SPKAction.hold, SPKStatus.notStarted, SPKStatus?.some(.onHold)),
        (.hold, .inProgress, .onHold), (.hold, .completed, nil), (.hold, .onHold, nil),
        (.resume, .onHold, .notStarted), (.resume, .inProgress, nil),
        (.cancel, .onHold, .cancelled), (.cancel, .completed, nil), (.cancel, .cancelled, nil),
        (.close, .inProgress, .closed), (.close, .notStarted, nil), (.close, .closed, nil),
    ])
    func transitions(action: SPKAction, from: SPKStatus, to: SPKStatus?) {
        do {
            let after = try SPKLifecycle.apply(action, to: spk(from), actor: planner, reason: "r", now: Date())
            #expect(after.status == to)
            #expect(after.version == 2)
        } catch {
            #expect(to == nil && error.code == .conflict)
        }
    }

    @Test func resumingAStartedSPKReturnsToInProgressAndVoidingReopens() throws {
        #expect(try SPKLifecycle.apply(.resume, to: spk(.onHold, produced: 5), actor: planner, reason: "r", now: Date()).status == .inProgress)
        let reopened = try SPKLifecycle.void(
            qty: 20, rejects: 0, from: spk(.completed, produced: 105), actor: planner.withRole("PRODUCTION_SPV", department: "SEWING"),
            reason: "typo", now: Date())
        #expect(reopened.status == .inProgress && reopened.producedQty == 85)
        let held = try SPKLifecycle.void(
            qty: 5, rejects: 0, from: spk(.onHold, produced: 5), actor: planner.withRole("PRODUCTION_SPV", department: "SEWING"),
            reason: "typo", now: Date())
        #expect(held.status == .onHold && held.producedQty == 0)
    }
}

extension Actor {
    func withRole(_ role: String, department: String? = nil) -> Actor {
        Actor(userId: userId, username: username, roles: [role], department: department ?? self.department)
    }
}
