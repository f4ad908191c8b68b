import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Manufacturing orders in schema `production`, on the message's transaction; their status and progress are
/// derived from their SPKs when read.
struct PostgresOrderRepository: OrderRepository {
    /// Each order with its derived status and the good output of its last stage.
    private static let summary = """
        WITH summary AS (
            SELECT o.id, o.code, o.article_code, o.qty, o.start_date::text AS start_date, o.due_date::text AS due_date, o.stages,
                   o.notes, o.created_by, o.created_at, o.bom_id, o.bom_code, o.bom_version, o.bom_note,
                   CASE WHEN bool_and(s.status = 'CANCELLED') THEN 'CANCELLED'
                        WHEN bool_or(s.sequence = cardinality(o.stages) AND s.status IN ('COMPLETED', 'CLOSED')) THEN 'COMPLETED'
                        WHEN bool_or(s.produced_qty > 0 OR s.reject_qty > 0) THEN 'IN_PROGRESS'
                        ELSE 'PLANNED' END AS status,
                   coalesce(max(s.produced_qty) FILTER (WHERE s.sequence = cardinality(o.stages)), 0) AS finished,
                   (SELECT coalesce(sum(r.qty), 0)::bigint FROM warehouse_receipts r WHERE r.order_code = o.code) AS in_warehouse
            FROM orders o JOIN spks s ON s.order_id = o.id
            GROUP BY o.id)
        """
    private static let columns = """
        id, code, article_code, qty, start_date, due_date, stages, notes, created_by, created_at, status, finished,
        bom_id, bom_code, bom_version, bom_note, in_warehouse
        """

    func nextCode(on day: LocalDate, in context: MessageContext) async throws -> String {
        OrderRules.code(
            day: day,
            sequence: try await DayCounter.next(
                in: "order_code_counters", day: day, on: context.connection,
                logger: context.logger))
    }

    func insert(_ order: ManufacturingOrder, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO orders (id, code, article_code, qty, start_date, due_date, stages, notes, created_by, created_at,
                                bom_id, bom_code, bom_version, bom_note)
            VALUES (\(order.id), \(order.code), \(order.articleCode), \(order.qty), \(order.startDate.description)::date,
                    \(order.dueDate.description)::date, \(order.stages.map(\.rawValue)), \(order.notes), \(order.createdBy),
                    \(order.createdAt), \(order.bomId), \(order.bomCode), \(order.bomVersion), \(order.bomNote))
            """, logger: context.logger)
    }

    func find(_ reference: String, in context: MessageContext) async throws -> ManufacturingOrder? {
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "id")
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: "\(Self.summary) SELECT \(Self.columns) FROM summary WHERE \(column) = $1", binds: binds), logger: context.logger)
        for try await row in rows {
            var order = try Self.order(from: row)
            order.spks = try await spks(of: order.id, in: context)
            return order
        }
        return nil
    }

    func list(_ query: ListOrders, in context: MessageContext) async throws -> Page<ManufacturingOrder> {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let status = query.status {
            binds.append(status.rawValue)
            conditions.append("status = $\(binds.count)")
        }
        if let article = query.articleCode {
            binds.append(article.trimmingCharacters(in: .whitespaces).uppercased())
            conditions.append("article_code = $\(binds.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var total = 0
        let counted = try await context.connection.query(
            PostgresQuery(unsafeSQL: "\(Self.summary) SELECT count(*)::bigint FROM summary \(filter)", binds: binds), logger: context.logger)
        for try await value in counted.decode(Int.self) { total = value }
        binds.append(query.page.perPage)
        binds.append(query.page.offset)
        let rows = try await context.connection.query(
            PostgresQuery(
                unsafeSQL: """
                    \(Self.summary) SELECT \(Self.columns) FROM summary \(filter)
                    ORDER BY created_at DESC, code DESC LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
                    """, binds: binds), logger: context.logger)
        var items: [ManufacturingOrder] = []
        for try await row in rows { items.append(try Self.order(from: row)) }
        return Page(items: items, page: query.page.page, perPage: query.page.perPage, total: total)
    }

    private func spks(of order: UUID, in context: MessageContext) async throws -> [SPK] {
        try await PostgresSPKRepository().spks(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(SPKRows.columns) FROM \(SPKRows.source) WHERE s.order_id = $1 ORDER BY s.sequence
                    """, binds: try SPKRows.binds(order)), in: context)
    }

    private static func order(from row: PostgresRow) throws -> ManufacturingOrder {
        let (
            id, code, article, qty, start, due, stages, notes, createdBy, createdAt, status, finished, bomId, bomCode, bomVersion,
            bomNote, inWarehouse
        ) = try row.decode(
            (
                UUID, String, String, Int, String, String, [String], String?, String, Date, String, Int, UUID?, String?, Int?, String?,
                Int
            ).self)
        var order = ManufacturingOrder(
            id: id, code: code, articleCode: article, qty: qty, startDate: LocalDate(start)!, dueDate: LocalDate(due)!,
            stages: stages.compactMap(Stage.init(rawValue:)), status: OrderStatus(rawValue: status) ?? .planned,
            progress: progressPercent(produced: finished, target: qty), finishedQty: finished, notes: notes,
            createdBy: createdBy, createdAt: createdAt, spks: nil,
            bom: bomId.flatMap { id in bomCode.flatMap { code in bomVersion.map { BOMReference(id: id, code: code, version: $0) } } },
            bomNote: bomNote)
        order.finishedInWarehouse = inWarehouse
        return order
    }

    func recordWarehouseReceipt(_ event: CartonConfirmed, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO warehouse_receipts (carton_id, order_code, spk_code, qty, received_at)
            VALUES (\(event.cartonId), \(event.orderCode), \(event.spkCode), \(event.qty), \(event.occurredAt))
            ON CONFLICT (carton_id) DO NOTHING
            """, logger: context.logger)
    }
}
