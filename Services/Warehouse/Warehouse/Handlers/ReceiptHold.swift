import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Incoming inspection: a RECEIPT of a material whose category is inspected on receipt
/// (`STITCH_INSPECT_ON_RECEIPT`) lands in QUARANTINE and is held until Quality's incoming inspection
/// passes, which moves it to where it was received for; a failure leaves it in QUARANTINE.
struct ReceiptHold {
    let inspectOnReceipt: Set<MaterialCategory>

    /// The category BOMFinance gave a material (kept with the item copy); nil when never told.
    static func category(of code: String, on connection: PostgresConnection, logger: Logger) async throws -> MaterialCategory? {
        let rows = try await connection.query("SELECT category FROM material_categories WHERE code = \(code.uppercased())", logger: logger)
        for try await category in rows.decode(String.self) { return MaterialCategory(rawValue: category) }
        return nil
    }

    static func keepCategory(of material: Material, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO material_categories (code, category, version) VALUES (\(material.code.uppercased()), \(material.category.rawValue), \(material.version))
            ON CONFLICT (code) DO UPDATE SET category = EXCLUDED.category, version = EXCLUDED.version
            WHERE material_categories.version < EXCLUDED.version
            """, logger: logger)
    }

    /// The QUARANTINE location a receipt of `item` into `to` is held in, or nil when it is not held.
    func holdingLocation(for item: ItemCopy, to: String?, _ context: MessageContext) async throws -> Location? {
        guard !inspectOnReceipt.isEmpty, item.kind == .material, let to,
              let category = try await Self.category(of: item.code, on: context.connection, logger: context.logger),
              inspectOnReceipt.contains(category) else { return nil }
        let ledger = LedgerStore(connection: context.connection, logger: context.logger)
        if try await ledger.location(to)?.type == .quarantine { return nil }
        guard let quarantine = try await ledger.first(.quarantine) else {
            throw ErrorReply.rule("\(item.code) is inspected on receipt, but there is no QUARANTINE location to hold it in.")
        }
        return quarantine
    }

    /// Records the held receipt and tells Quality.
    func held(_ movement: Movement, releaseTo: String, _ context: MessageContext) async throws {
        guard let category = try await Self.category(of: movement.itemCode, on: context.connection, logger: context.logger) else { return }
        try await context.connection.query("""
            INSERT INTO held_receipts (movement_id, item_code, qty, quarantine, release_to, status)
            VALUES (\(movement.id), \(movement.itemCode), \(movement.qty), \(movement.toLocation ?? ""), \(releaseTo), 'HELD')
            """, logger: context.logger)
        try await context.publish(MaterialReceiptHeld(movementId: movement.id, materialCode: movement.itemCode, category: category,
                                                      qty: movement.qty, quarantine: movement.toLocation ?? "", releaseTo: releaseTo,
                                                      reference: movement.reference, occurredAt: movement.occurredAt))
    }

    /// Passed: QUARANTINE → the location it was received for (TRANSFER), once. When that cannot be done (the
    /// stock left QUARANTINE by hand meanwhile, say), nothing moves, the receipt stays HELD and Quality hears why.
    func passed(_ event: IncomingInspectionPassed, _ context: MessageContext) async throws {
        _ = try await context.carryOut({ try await release(event, context) }, refused: { refusal in
            try await QualityGate.refused(event.inspection.code, refusal, now: Date(), context)
        })
    }

    private func release(_ event: IncomingInspectionPassed, _ context: MessageContext) async throws {
        let rows = try await context.connection.query("""
            SELECT item_code, qty, quarantine, release_to FROM held_receipts WHERE movement_id = \(event.inspection.movementId) AND status = 'HELD'
            FOR UPDATE
            """, logger: context.logger)
        var held: (String, Decimal, String, String)?
        for try await row in rows.decode((String, Decimal, String, String).self) { held = row }
        guard let (code, qty, quarantine, releaseTo) = held else { return }
        let item = try await Items(context: context).require(code, kind: .material, field: "item_code")
        let moved = try await Ledger(context).post([NewMovement(type: .transfer, item: item, qty: qty, from: quarantine, to: releaseTo,
                                                                reference: event.inspection.code,
                                                                reason: "released: incoming inspection \(event.inspection.code) passed")])
        try await context.connection.query("""
            UPDATE held_receipts SET status = 'RELEASED', released_by = \(moved.first?.id) WHERE movement_id = \(event.inspection.movementId)
            """, logger: context.logger)
    }

    /// Failed: the stock stays in QUARANTINE (the NCR decides: return to supplier, scrap, use as is).
    func failed(_ event: IncomingInspectionFailed, _ context: MessageContext) async throws {
        try await context.connection.query("""
            UPDATE held_receipts SET status = 'REJECTED', inspection_code = \(event.inspection.code)
            WHERE movement_id = \(event.inspection.movementId) AND status = 'HELD'
            """, logger: context.logger)
    }
}
