import Contracts
import Foundation
import Testing

@testable import Production

/// One rule decides an SPK's status from what it produced against its target, wherever either moves.
@Suite struct SPKProgressTests {
    let manager = Actor(userId: "2", username: "prod_manager", roles: ["PRODUCTION_MANAGER"])

    func spk(produced: Int, target: Int, status: SPKStatus) -> SPK {
        SPK(
            id: UUID(), code: "SPK-20260301-0001", articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: 100,
            targetQty: target, producedQty: produced, rejectQty: 0, progress: 0, status: status,
            startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-20")!, notes: nil, createdBy: "ppic",
            createdAt: Date(), updatedAt: Date(), version: 1)
    }

    @Test func theRule() {
        #expect(SPKStatus.running(produced: 0, target: 10, started: false) == .notStarted)
        #expect(SPKStatus.running(produced: 0, target: 10, started: true) == .inProgress)
        #expect(SPKStatus.running(produced: 9, target: 10, started: true) == .inProgress)
        #expect(SPKStatus.running(produced: 10, target: 10, started: true) == .completed)
        #expect(SPKStatus.running(produced: 11, target: 10, started: true) == .completed)
    }

    @Test func aHeldSPKWhoseTargetWasLoweredToWhatItMadeResumesCompleted() throws {
        let held = try #require(TargetChangeRules.apply(newTarget: 60, to: spk(produced: 60, target: 100, status: .onHold), now: Date()))
        #expect(held.status == .onHold)  // a held SPK stays held; its new target counts once it resumes
        let resumed = try SPKLifecycle.apply(.resume, to: held, actor: manager, reason: "line back", now: Date())
        #expect(resumed.status == .completed)
        let partly = try SPKLifecycle.apply(
            .resume, to: spk(produced: 30, target: 100, status: .onHold), actor: manager,
            reason: "line back", now: Date())
        #expect(partly.status == .inProgress)
    }

    @Test func voidingBackBelowTheTargetReopensTheSPK() throws {
        let after = try SPKLifecycle.void(
            qty: 10, rejects: 0, from: spk(produced: 100, target: 100, status: .completed),
            actor: manager, reason: "miscount", now: Date())
        #expect(after.status == .inProgress && after.producedQty == 90)
    }
}
