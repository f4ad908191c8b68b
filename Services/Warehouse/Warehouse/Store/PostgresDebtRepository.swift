import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Material debts, on the handler's connection.
struct PostgresDebtRepository: DebtRepository {
    static let columns = """
        d.id, d.approval_id, d.approval_code, d.material_code, i.unit, d.location, d.spk_code, d.qty, d.settled_qty, d.status,
        d.issue_movement_id, d.opened_at, d.settled_at
        """

    func insert(_ debt: WarehouseDebt, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO debts (id, approval_id, approval_code, material_code, location, spk_code, qty, settled_qty, status,
                               issue_movement_id, opened_at)
            VALUES (\(debt.id), \(debt.approvalId), \(debt.approvalCode), \(debt.materialCode), \(debt.location), \(debt.spkCode),
                    \(debt.qty), 0, 'OPEN', \(debt.issueMovementId), \(debt.openedAt))
            """, logger: context.logger)
    }

    func exists(approval: UUID, in context: MessageContext) async throws -> Bool {
        for try await _ in try await context.connection.query("SELECT 1 FROM debts WHERE approval_id = \(approval)", logger: context.logger) {
            return true
        }
        return false
    }

    /// Open debts of `material`, oldest first, locked (two receipts settle one after the other).
    func openDebts(material: String, in context: MessageContext) async throws -> [WarehouseDebt] {
        try await debts(context, where: "d.material_code = $1 AND d.status = 'OPEN' ORDER BY d.opened_at, d.id FOR UPDATE OF d", [material])
    }

    /// How far below zero approved debts let `material` go at `location`: what they still owe.
    func allowance(material: String, location: String, in context: MessageContext) async throws -> Decimal {
        let rows = try await context.connection.query(
            """
            SELECT coalesce(sum(qty - settled_qty), 0) FROM debts
            WHERE material_code = \(material) AND location = \(location) AND status = 'OPEN'
            """, logger: context.logger)
        for try await qty in rows.decode(Decimal.self) { return qty }
        return 0
    }

    func settle(_ id: UUID, by qty: Decimal, full: Bool, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE debts SET settled_qty = settled_qty + \(qty), status = \(full ? "SETTLED" : "OPEN"),
                   settled_at = CASE WHEN \(full) THEN now() ELSE NULL END
            WHERE id = \(id)
            """, logger: context.logger)
    }

    func list(status: DebtStatus?, page: PageRequest, in context: MessageContext) async throws -> Page<WarehouseDebt> {
        let statuses = status.map { [$0.rawValue] } ?? DebtStatus.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await context.connection.query(
            "SELECT count(*)::bigint FROM debts WHERE status = ANY(\(statuses))",
            logger: context.logger
        ).decode(Int.self) { total = count }
        let items = try await debts(
            context, where: "d.status = ANY($1) ORDER BY d.opened_at DESC, d.id LIMIT \(page.perPage) OFFSET \(page.offset)",
            [statuses])
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }

    private func debts(_ context: MessageContext, where clause: String, _ values: [any PostgresEncodable & Sendable]) async throws -> [WarehouseDebt]
    {
        var binds = PostgresBindings()
        for value in values { try binds.append(value) }
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.columns) FROM debts d JOIN items i ON i.code = d.material_code WHERE \(clause)
                    """, binds: binds), logger: context.logger)
        var result: [WarehouseDebt] = []
        for try await (id, approval, code, material, unit, location, spk, qty, settled, status, movement, opened, settledAt)
            in rows.decode((UUID, UUID, String, String, String, String, String?, Decimal, Decimal, String, UUID, Date, Date?).self)
        {
            result.append(
                WarehouseDebt(
                    id: id, approvalId: approval, approvalCode: code, materialCode: material,
                    unit: UnitOfMeasure(rawValue: unit) ?? .pcs, location: location, spkCode: spk, qty: qty,
                    settledQty: settled, status: DebtStatus(rawValue: status) ?? .open, issueMovementId: movement,
                    openedAt: opened, settledAt: settledAt))
        }
        return result
    }
}
