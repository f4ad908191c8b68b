import Contracts
import Foundation
import Messaging
import ServiceKit

/// Material debt: issued when Approval approves it, paid back by later receipts oldest first.
struct DebtHandlers {
    let repositories: WarehouseRepositories

    /// An approved MATERIAL_DEBT request: DEBT_ISSUE from the raw-material store to the SPK's floor
    /// (the store may go negative by what the debt owes) and an open debt. Once per request. When the
    /// warehouse cannot issue it, nothing moves and Approval hears why (`MaterialDebtIssueFailed`).
    func approved(_ event: ApprovalApproved, _ context: MessageContext) async throws {
        let request = event.request
        guard request.kind == .materialDebt, let wanted = request.materialDebt else { return }
        if try await repositories.debts.exists(approval: request.id, in: context) { return }
        _ = try await context.carryOut(
            { try await issue(request, wanted, context) },
            refused: { refusal in
                let failed = MaterialDebtIssueFailed(
                    approvalId: request.id, approvalCode: request.code, materialCode: wanted.materialCode,
                    reason: refusal.message, occurredAt: context.now)
                try await context.publish(failed)
                try await context.audit("material_debt", request.code, "debt issue refused", before: String?.none, after: failed)
                context.logger.notice("material debt \(request.code) not issued: \(refusal.message)")
            })
    }

    private func issue(_ request: ApprovalRequest, _ wanted: MaterialDebt, _ context: MessageContext) async throws {
        let (debts, store) = (repositories.debts, repositories.ledger)
        let item = try await Items(repositories.items, context).require(wanted.materialCode, kind: .material, field: "material_code")
        let spk = try await context.askAsService(GetSPK(spk: request.spkId.uuidString))
        try DebtIssueRules.check(spk)
        guard let floor = try await store.first(.floor, department: spk.department, in: context) else {
            throw ErrorReply.rule("There is no \(spk.department.rawValue) FLOOR location to issue \(item.code) to.")
        }
        guard let raw = try await store.richestRawLocation(for: item.code, in: context) else {
            throw ErrorReply.rule("There is no RAW_MATERIAL location to issue \(item.code) from.")
        }
        let qty = StockRules.exact(wanted.qty, unit: item.unit)
        let key = Ledger.Key(item: item.code, location: raw.code)
        let allowance = try await debts.allowance(material: item.code, location: raw.code, in: context) + qty
        let movement = try await Ledger(store, context).post(
            [
                NewMovement(
                    type: .debtIssue, item: item, qty: qty, from: raw.code, to: floor.code, reference: spk.code,
                    reason: "material debt \(request.code): \(request.reason)")
            ],
            allowance: [key: allowance])[0]
        let debt = WarehouseDebt(
            id: UUID(), approvalId: request.id, approvalCode: request.code, materialCode: item.code, unit: item.unit,
            location: raw.code, spkCode: spk.code, qty: qty, settledQty: 0, status: .open,
            issueMovementId: movement.id, openedAt: movement.occurredAt, settledAt: nil)
        try await debts.insert(debt, in: context)
        try await context.publish(
            MaterialIssued(
                movementId: movement.id, orderCode: spk.orderCode, spkCode: spk.code,
                materialCode: item.code, unit: item.unit, qty: qty, unitCost: item.standardCost,
                occurredAt: movement.occurredAt))
        try await context.publish(MaterialDebtOpened(debt: debt))
        try await context.audit("material_debt", request.code, "debt issue", before: String?.none, after: debt)
    }

    /// Settles open debts of the received material, oldest first: a DEBT_SETTLEMENT record per debt
    /// reached (it moves no stock: the receipt did) and `warehouse.material-debt.settled.v1`.
    func settle(receipt: Movement, item: ItemCopy, _ context: MessageContext) async throws -> [Movement] {
        let (debts, store) = (repositories.debts, repositories.ledger)
        let open = try await debts.openDebts(material: item.code, in: context)
        let settlements = DebtSettlement.settle(receipt: receipt.qty, debts: open.map { .init(id: $0.id, openQty: $0.openQty) })
        var records: [Movement] = []
        for settlement in settlements {
            guard let debt = open.first(where: { $0.id == settlement.debtId }) else { continue }
            let record = try await store.append(
                NewMovement(
                    type: .debtSettlement, item: item, qty: settlement.settled, from: nil, to: nil, reference: debt.approvalCode,
                    reason: "settled by receipt \(receipt.id)"), actor: context.actor, in: context)
            try await debts.settle(debt.id, by: settlement.settled, full: settlement.isFull, in: context)
            try await context.publish(
                MaterialDebtSettled(
                    debtId: debt.id, approvalId: debt.approvalId, approvalCode: debt.approvalCode, materialCode: item.code,
                    settledQty: settlement.settled, openQty: settlement.remaining, fullySettled: settlement.isFull, movementId: record.id,
                    occurredAt: record.occurredAt))
            records.append(record)
        }
        return records
    }

    func list(_ query: ListWarehouseDebts, _ context: MessageContext) async throws -> Page<WarehouseDebt> {
        try query.page.validate()
        return try await repositories.debts.list(status: query.status, page: query.page, in: context)
    }
}
