import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Scrap decided on an NCR: Warehouse's SCRAP movements (`NCRStockDisposed`) valued at standard cost × qty,
/// as rejects are valued — the material's cost in force on the day, an article's rolled-up standard cost
/// (without either, the cost the warehouse moved it at). Once per movement.
struct ScrapCostingHandlers {
    let settings: BOMFinanceSettings

    func disposed(_ event: NCRStockDisposed, _ context: MessageContext) async throws {
        let scraps = event.movements.filter { $0.type == .scrap }
        guard event.applied, !scraps.isEmpty else { return }
        let items = ItemStore(connection: context.connection, logger: context.logger)
        let costs = CostStore(connection: context.connection, logger: context.logger)
        let store = ScrapStore(connection: context.connection, logger: context.logger)
        for movement in scraps {
            let day = LocalDate.of(movement.occurredAt, in: settings.timeZone)
            let standard: Decimal?
            if movement.itemKind == .material {
                standard = try await items.costs(of: [movement.itemCode], on: day)[movement.itemCode]
            } else {
                standard = try await costs.standardCosts([movement.itemCode])[movement.itemCode]?.1
            }
            let unit = standard ?? movement.unitCost
            try await store.record(
                ScrapLine(
                    movementId: movement.id, ncrCode: event.ncrCode, orderCode: event.orderCode, itemCode: movement.itemCode,
                    itemKind: movement.itemKind, qty: movement.qty, unitCost: unit, value: unit.map { DecimalMath.money($0 * movement.qty) },
                    occurredAt: movement.occurredAt))
        }
    }

    func report(_ query: GetScrapCosting, _ context: MessageContext) async throws -> ScrapCosting {
        _ = try context.require(BOMFinancePermissions.readMoney, to: "Reading costs", servicesPass: true)
        let lines = try await ScrapStore(connection: context.connection, logger: context.logger)
            .lines(
                ncr: query.ncr?.trimmingCharacters(in: .whitespaces).uppercased(),
                order: query.order?.trimmingCharacters(in: .whitespaces).uppercased(),
                limit: GetScrapCosting.maxLines)
        return ScrapCosting(totalValue: lines.reduce(0) { $0 + ($1.value ?? 0) }, unvalued: lines.filter { $0.value == nil }.count, lines: lines)
    }
}

struct ScrapStore {
    let connection: PostgresConnection
    let logger: Logger

    func record(_ line: ScrapLine) async throws {
        try await connection.query(
            """
            INSERT INTO scrap_values (movement_id, ncr_code, order_code, item_code, item_kind, qty, unit_cost, value, occurred_at)
            VALUES (\(line.movementId), \(line.ncrCode), \(line.orderCode), \(line.itemCode), \(line.itemKind.rawValue), \(line.qty.description)::numeric,
                    \(line.unitCost?.description)::numeric, \(line.value?.description)::numeric, \(line.occurredAt))
            ON CONFLICT (movement_id) DO NOTHING
            """, logger: logger)
    }

    func lines(ncr: String?, order: String?, limit: Int) async throws -> [ScrapLine] {
        var lines: [ScrapLine] = []
        let rows = try await connection.query(
            """
            SELECT movement_id, ncr_code, order_code, item_code, item_kind, qty::text, unit_cost::text, value::text, occurred_at FROM scrap_values
            WHERE (\(ncr)::text IS NULL OR ncr_code = \(ncr)) AND (\(order)::text IS NULL OR order_code = \(order))
            ORDER BY occurred_at DESC, movement_id LIMIT \(limit)
            """, logger: logger)
        for try await (id, ncr, order, item, kind, qty, unit, value, at) in rows.decode(
            (UUID, String, String?, String, String, String, String?, String?, Date).self)
        {
            lines.append(
                ScrapLine(
                    movementId: id, ncrCode: ncr, orderCode: order, itemCode: item, itemKind: ItemKind(rawValue: kind) ?? .material,
                    qty: Decimal(string: qty) ?? 0, unitCost: unit.flatMap { Decimal(string: $0) },
                    value: value.flatMap { Decimal(string: $0) }, occurredAt: at))
        }
        return lines
    }
}
