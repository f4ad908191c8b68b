import Contracts
import Foundation
import PostgresNIO

/// The shape of an SPK row as every query of `spks` reads it: its columns, the tables they come from, and how a
/// row becomes an `SPK`. Shared by the PostgreSQL repositories of Production.
enum SPKRows {
    /// An SPK with its order's previous stage beside it (`p`), for the WIP it has passed on.
    static let from = "spks s LEFT JOIN spks p ON p.order_id = s.order_id AND p.sequence = s.sequence - 1"
    static let columns = """
        s.id, s.code, s.article_code, s.stage, s.department, s.original_qty, s.target_qty, s.produced_qty, s.reject_qty,
        s.status, s.start_date::text, s.due_date::text, s.notes, s.created_by, s.created_at, s.updated_at, s.version,
        s.order_id, o.code, s.sequence, p.produced_qty - s.produced_qty
        """
    /// `from` plus the order, for its code.
    static let source = "\(from) LEFT JOIN orders o ON o.id = s.order_id"

    /// `columns` of an SPK without an order (no order code, no previous stage).
    static let standaloneColumns = """
        s.id, s.code, s.article_code, s.stage, s.department, s.original_qty, s.target_qty, s.produced_qty, s.reject_qty,
        s.status, s.start_date::text, s.due_date::text, s.notes, s.created_by, s.created_at, s.updated_at, s.version,
        s.order_id, NULL::text, s.sequence, NULL::bigint
        """

    /// Columns after `columns`: the first extra one is at this index.
    static let extraColumn = 21

    static func binds<each V: PostgresEncodable & Sendable>(_ value: repeat each V) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in repeat each value { try binds.append(value) }
        return binds
    }

    /// Decodes `columns`, the first columns of the row (a query may select more after them).
    static func spk(from row: PostgresRow) throws -> SPK {
        let cells = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T { try cells[index].decode(T.self) }
        let produced: Int = try cell(7)
        let target: Int = try cell(6)
        return SPK(
            id: try cell(0), code: try cell(1), articleCode: try cell(2), stage: Stage(rawValue: try cell(3)) ?? .cutting,
            department: Department(rawValue: try cell(4)) ?? .cutting, originalQty: try cell(5), targetQty: target,
            producedQty: produced, rejectQty: try cell(8), progress: progressPercent(produced: produced, target: target),
            status: SPKStatus(rawValue: try cell(9)) ?? .notStarted, startDate: LocalDate(try cell(10))!,
            dueDate: LocalDate(try cell(11))!, notes: try cell(12), createdBy: try cell(13), createdAt: try cell(14),
            updatedAt: try cell(15), version: try cell(16), orderId: try cell(17), orderCode: try cell(18),
            sequence: try cell(19), availableWip: try cell(20, Int?.self).map { max(0, $0) })
    }
}
