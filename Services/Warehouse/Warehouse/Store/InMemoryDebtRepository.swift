import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Material debts in memory, for handler tests: the same order and sums as `PostgresDebtRepository`.
final class InMemoryDebtRepository: DebtRepository {
    private let debts = Mutex<[WarehouseDebt]>([])

    init() {}

    /// Every debt kept, for a test to look at.
    var all: [WarehouseDebt] { debts.withLock { $0 } }

    func insert(_ debt: WarehouseDebt, in context: MessageContext) async throws {
        debts.withLock { $0.append(debt.with(settled: 0, status: .open, at: nil)) }
    }

    func exists(approval: UUID, in context: MessageContext) async throws -> Bool {
        all.contains { $0.approvalId == approval }
    }

    func openDebts(material: String, in context: MessageContext) async throws -> [WarehouseDebt] {
        all.filter { $0.materialCode == material && $0.status == .open }
            .sorted { $0.openedAt != $1.openedAt ? $0.openedAt < $1.openedAt : $0.id.uuidString < $1.id.uuidString }
    }

    func allowance(material: String, location: String, in context: MessageContext) async throws -> Decimal {
        all.filter { $0.materialCode == material && $0.location == location && $0.status == .open }.reduce(0) { $0 + $1.openQty }
    }

    func settle(_ id: UUID, by qty: Decimal, full: Bool, in context: MessageContext) async throws {
        debts.withLock { debts in
            guard let index = debts.firstIndex(where: { $0.id == id }) else { return }
            let debt = debts[index]
            debts[index] = debt.with(settled: debt.settledQty + qty, status: full ? .settled : .open, at: full ? context.now : nil)
        }
    }

    func list(status: DebtStatus?, page: PageRequest, in context: MessageContext) async throws -> Page<WarehouseDebt> {
        let matching = all.filter { status == nil || $0.status == status }
            .sorted { $0.openedAt != $1.openedAt ? $0.openedAt > $1.openedAt : $0.id.uuidString < $1.id.uuidString }
        return Page(slicing: matching, page)
    }
}

extension WarehouseDebt {
    /// The debt with `settled` paid back (what it still owes follows).
    fileprivate func with(settled: Decimal, status: DebtStatus, at settledAt: Date?) -> WarehouseDebt {
        WarehouseDebt(
            id: id, approvalId: approvalId, approvalCode: approvalCode, materialCode: materialCode, unit: unit, location: location,
            spkCode: spkCode, qty: qty, settledQty: settled, status: status, issueMovementId: issueMovementId, openedAt: openedAt,
            settledAt: settledAt)
    }
}
