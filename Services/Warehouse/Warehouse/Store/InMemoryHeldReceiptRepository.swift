import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Held receipts in memory, for handler tests.
final class InMemoryHeldReceiptRepository: HeldReceiptRepository {
    private struct Row {
        var receipt: HeldReceipt
        var inspectionCode: String?
        var releasedBy: UUID?
    }

    private let rows = Mutex<[UUID: Row]>([:])

    init() {}

    /// Every receipt held (in any state), for a test to look at.
    var all: [HeldReceipt] { rows.withLock { $0.values.map(\.receipt) } }

    func hold(_ movement: Movement, releaseTo: String, in context: MessageContext) async throws {
        let receipt = HeldReceipt(
            movementId: movement.id, itemCode: movement.itemCode, qty: movement.qty, quarantine: movement.toLocation ?? "",
            releaseTo: releaseTo, status: "HELD")
        rows.withLock { $0[movement.id] = Row(receipt: receipt) }
    }

    func held(movement: UUID, in context: MessageContext) async throws -> HeldReceipt? {
        rows.withLock { $0[movement]?.receipt }.flatMap { $0.status == "HELD" ? $0 : nil }
    }

    func receipt(inspection code: String, in context: MessageContext) async throws -> HeldReceipt? {
        rows.withLock { $0.values.first { $0.inspectionCode == code }?.receipt }
    }

    func reject(movement: UUID, inspection code: String, in context: MessageContext) async throws {
        rows.withLock { rows in
            guard rows[movement]?.receipt.status == "HELD" else { return }
            rows[movement]?.receipt.status = "REJECTED"
            rows[movement]?.inspectionCode = code
        }
    }

    func close(movement: UUID, status: String, releasedBy: UUID?, in context: MessageContext) async throws {
        rows.withLock { rows in
            rows[movement]?.receipt.status = status
            rows[movement]?.releasedBy = releasedBy
        }
    }
}
