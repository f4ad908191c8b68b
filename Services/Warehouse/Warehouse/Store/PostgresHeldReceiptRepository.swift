import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// `held_receipts`, on the handler's connection.
struct PostgresHeldReceiptRepository: HeldReceiptRepository {
    func hold(_ movement: Movement, releaseTo: String, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO held_receipts (movement_id, item_code, qty, quarantine, release_to, status)
            VALUES (\(movement.id), \(movement.itemCode), \(movement.qty), \(movement.toLocation ?? ""), \(releaseTo), 'HELD')
            """, logger: context.logger)
    }

    func held(movement: UUID, in context: MessageContext) async throws -> HeldReceipt? {
        let rows = try await context.connection.query(
            """
            SELECT item_code, qty, quarantine, release_to FROM held_receipts WHERE movement_id = \(movement) AND status = 'HELD'
            FOR UPDATE
            """, logger: context.logger)
        for try await (code, qty, quarantine, releaseTo) in rows.decode((String, Decimal, String, String).self) {
            return HeldReceipt(movementId: movement, itemCode: code, qty: qty, quarantine: quarantine, releaseTo: releaseTo, status: "HELD")
        }
        return nil
    }

    func receipt(inspection code: String, in context: MessageContext) async throws -> HeldReceipt? {
        let rows = try await context.connection.query(
            """
            SELECT movement_id, item_code, qty, quarantine, release_to, status FROM held_receipts WHERE inspection_code = \(code) FOR UPDATE
            """, logger: context.logger)
        for try await (id, item, qty, quarantine, releaseTo, status) in rows.decode((UUID, String, Decimal, String, String, String).self) {
            return HeldReceipt(movementId: id, itemCode: item, qty: qty, quarantine: quarantine, releaseTo: releaseTo, status: status)
        }
        return nil
    }

    func reject(movement: UUID, inspection code: String, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE held_receipts SET status = 'REJECTED', inspection_code = \(code)
            WHERE movement_id = \(movement) AND status = 'HELD'
            """, logger: context.logger)
    }

    func close(movement: UUID, status: String, releasedBy: UUID?, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE held_receipts SET status = \(status), released_by = \(releasedBy) WHERE movement_id = \(movement)
            """, logger: context.logger)
    }
}
