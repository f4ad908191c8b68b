import Contracts
import Foundation
import Testing

@testable import Warehouse

@Suite("Issuing approved material debt")
struct DebtIssueRulesTests {
    func spk(_ status: SPKStatus) -> SPK {
        SPK(
            id: UUID(), code: "SPK-20260301-0001", articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: 100,
            targetQty: 100, producedQty: 0, rejectQty: 0, progress: 0, status: status,
            startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-20")!, notes: nil, createdBy: "ppic",
            createdAt: Date(), updatedAt: Date(), version: 1)
    }

    @Test("an SPK cancelled or closed since the debt was asked for gets no material; the refusal says why")
    func onlyForAnSPKThatStillRuns() {
        for status in [SPKStatus.cancelled, .closed] {
            do {
                try DebtIssueRules.check(spk(status))
                Issue.record("\(status) should refuse the issue")
            } catch {
                #expect(error.code == .ruleViolated && error.message.contains(status.rawValue))
            }
        }
        for status in [SPKStatus.notStarted, .inProgress, .onHold, .completed] {
            #expect(throws: Never.self) { try DebtIssueRules.check(self.spk(status)) }
        }
    }
}
