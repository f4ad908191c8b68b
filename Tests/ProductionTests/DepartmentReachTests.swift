import Contracts
import Foundation
import Testing

@testable import Production

/// Supervisors act on their own department's SPKs; managers on every department's.
@Suite struct DepartmentReachTests {
    let sewingSupervisor = Actor(userId: "1", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
    let productionManager = Actor(userId: "2", username: "prod_manager", roles: ["PRODUCTION_MANAGER"])
    let policy = ProductionPolicy(
        timeZone: .gmt, overrunTolerancePercent: 10, shiftBasedStages: [])
    /// The factory's date the entries are judged on.
    let today = LocalDate("2026-03-10")!

    func spk(_ stage: Stage, produced: Int = 0) -> SPK {
        SPK(
            id: UUID(), code: "SPK-20260301-0001", articleCode: "BEAR", stage: stage, department: stage.department, originalQty: 100,
            targetQty: 100, producedQty: produced, rejectQty: 0, progress: 0, status: produced > 0 ? .inProgress : .notStarted,
            startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-20")!, notes: nil, createdBy: "ppic",
            createdAt: Date(), updatedAt: Date(), version: 1)
    }

    @Test func aSewingSupervisorCannotHoldResumeOrVoidCuttingsWork() {
        for action in [SPKAction.hold, .resume] {
            #expect { try SPKLifecycle.apply(action, to: spk(.cutting), actor: sewingSupervisor, reason: "x", now: Date()) } throws: {
                ($0 as? ErrorReply)?.code == .forbidden
            }
        }
        #expect {
            try SPKLifecycle.void(qty: 5, rejects: 0, from: spk(.cutting, produced: 10), actor: sewingSupervisor, reason: "x", now: Date())
        } throws: { ($0 as? ErrorReply)?.code == .forbidden }
        #expect {
            try DailyInputRules.apply(
                DailyInputEntry(date: LocalDate("2026-03-10")!, qty: 5), to: spk(.cutting),
                actor: sewingSupervisor, policy: policy, today: today)
        } throws: { ($0 as? ErrorReply)?.code == .forbidden }
    }

    @Test func aSupervisorActsOnTheirOwnDepartmentAndAManagerOnAny() throws {
        #expect(try SPKLifecycle.apply(.hold, to: spk(.sewing), actor: sewingSupervisor, reason: "x", now: Date()).status == .onHold)
        #expect(try SPKLifecycle.apply(.hold, to: spk(.cutting), actor: productionManager, reason: "x", now: Date()).status == .onHold)
        #expect(
            try SPKLifecycle.void(
                qty: 5, rejects: 0, from: spk(.sewing, produced: 10), actor: sewingSupervisor, reason: "x",
                now: Date()
            ).producedQty == 5)
    }
}
