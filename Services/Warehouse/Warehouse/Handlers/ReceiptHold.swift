import Contracts
import Foundation
import Messaging
import ServiceKit

/// Incoming inspection: a RECEIPT of a material whose category is inspected on receipt
/// (`STITCH_INSPECT_ON_RECEIPT`) lands in QUARANTINE and is held until Quality's incoming inspection
/// passes, which moves it to where it was received for; a failure leaves it in QUARANTINE.
struct ReceiptHold {
    let inspectOnReceipt: Set<MaterialCategory>
    let repositories: WarehouseRepositories

    /// The QUARANTINE location a receipt of `item` into `to` is held in, or nil when it is not held.
    func holdingLocation(for item: ItemCopy, to: String?, _ context: MessageContext) async throws -> Location? {
        guard !inspectOnReceipt.isEmpty, item.kind == .material, let to,
            let category = try await repositories.items.category(of: item.code, in: context),
            inspectOnReceipt.contains(category)
        else { return nil }
        let ledger = repositories.ledger
        if try await ledger.location(to, in: context)?.type == .quarantine { return nil }
        guard let quarantine = try await ledger.first(.quarantine, in: context) else {
            throw ErrorReply.rule("\(item.code) is inspected on receipt, but there is no QUARANTINE location to hold it in.")
        }
        return quarantine
    }

    /// Records the held receipt and tells Quality.
    func held(_ movement: Movement, releaseTo: String, _ context: MessageContext) async throws {
        guard let category = try await repositories.items.category(of: movement.itemCode, in: context) else { return }
        try await repositories.heldReceipts.hold(movement, releaseTo: releaseTo, in: context)
        try await context.publish(
            MaterialReceiptHeld(
                movementId: movement.id, materialCode: movement.itemCode, category: category,
                qty: movement.qty, quarantine: movement.toLocation ?? "", releaseTo: releaseTo,
                reference: movement.reference, occurredAt: movement.occurredAt))
    }

    /// Passed: QUARANTINE → the location it was received for (TRANSFER), once. When that cannot be done (the
    /// stock left QUARANTINE by hand meanwhile, say), nothing moves, the receipt stays HELD and Quality hears why.
    func passed(_ event: IncomingInspectionPassed, _ context: MessageContext) async throws {
        _ = try await context.carryOut(
            { try await release(event, context) },
            refused: { refusal in
                try await QualityGate.refused(event.inspection.code, refusal, context)
            })
    }

    private func release(_ event: IncomingInspectionPassed, _ context: MessageContext) async throws {
        guard let held = try await repositories.heldReceipts.held(movement: event.inspection.movementId, in: context) else { return }
        let item = try await Items(repositories.items, context).require(held.itemCode, kind: .material, field: "item_code")
        let moved = try await Ledger(repositories.ledger, context).post([
            NewMovement(
                type: .transfer, item: item, qty: held.qty, from: held.quarantine, to: held.releaseTo, reference: event.inspection.code,
                reason: "released: incoming inspection \(event.inspection.code) passed")
        ])
        try await repositories.heldReceipts.close(
            movement: event.inspection.movementId, status: "RELEASED", releasedBy: moved.first?.id,
            in: context)
    }

    /// Failed: the stock stays in QUARANTINE (the NCR decides: return to supplier, scrap, use as is).
    func failed(_ event: IncomingInspectionFailed, _ context: MessageContext) async throws {
        try await repositories.heldReceipts.reject(movement: event.inspection.movementId, inspection: event.inspection.code, in: context)
    }
}
