import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit

/// Locking an SPK with its neighbouring stages, alone (a void, a status change) or for a batch of daily inputs.
extension PostgresSPKRepository {
    /// The SPK locked together with its order's previous stage (and the next one with `withNext`),
    /// locked in route order so that inputs and voids on adjacent stages never deadlock. The WIP
    /// between the stages stays as read until commit.
    func requireWithNeighbours(_ reference: String, withNext: Bool, in context: MessageContext) async throws -> SPKNeighbourhood {
        let (connection, logger) = (context.connection, context.logger)
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "s.id", codeColumn: "s.code")
        // A stand-alone SPK (no order) has no neighbours: one statement finds and locks it, and looks at no order.
        // Prepared: it is every daily input's first statement.
        var standalone = StatementBinds()
        let key =
            try UUID(uuidString: reference).map { try standalone.bind($0) }
            ?? standalone.bind(RecordReference.code(reference))
        let alone = try await connection.prepared(
            """
            SELECT \(SPKRows.standaloneColumns) FROM spks s WHERE \(column) = \(key) AND s.order_id IS NULL FOR UPDATE
            """, standalone, logger: logger)
        if let row = alone.first { return SPKNeighbourhood(spk: try SPKRows.spk(from: row)) }
        // A stage of an order: it and its neighbours, locked in one statement in route order.
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH me AS (SELECT s.order_id, s.sequence FROM spks s WHERE \(column) = $1 AND s.order_id IS NOT NULL)
                    SELECT \(SPKRows.columns), o.start_date::text FROM \(SPKRows.source) JOIN me ON s.order_id = me.order_id
                    WHERE s.sequence BETWEEN me.sequence - 1 AND me.sequence + \(withNext ? 1 : 0)
                    ORDER BY s.sequence FOR UPDATE OF s
                    """, binds: binds), logger: logger)
        var stages: [Int: SPK] = [:]
        var orderStart: LocalDate?
        var found: SPK?
        let wantedId = UUID(uuidString: reference)
        for try await row in rows {
            let spk = try SPKRows.spk(from: row)
            stages[spk.sequence ?? 0] = spk
            orderStart = LocalDate(try row.makeRandomAccess()[SPKRows.extraColumn].decode(String.self))
            if wantedId.map({ $0 == spk.id }) ?? (spk.code == reference.uppercased()) { found = spk }
        }
        guard let spk = found, let sequence = spk.sequence else { throw ErrorReply.notFound("SPK \(reference)") }
        return SPKNeighbourhood(previous: stages[sequence - 1], spk: spk, next: stages[sequence + 1], orderStart: orderStart)
    }

    /// `requireWithNeighbours` for a batch: every SPK `references` names and its order's previous stage, locked
    /// by one statement in id order — so batches never deadlock each other — and read as of the lock.
    func lockAll(_ references: [String], in context: MessageContext) async throws -> LockedStages {
        var ids: [UUID] = []
        var codes: [String] = []
        for reference in references {
            if let id = UUID(uuidString: reference) { ids.append(id) } else { codes.append(RecordReference.code(reference)) }
        }
        var binds = StatementBinds()
        let rows = try await context.connection.prepared(
            """
            WITH wanted AS (SELECT id, order_id, sequence FROM spks WHERE id = ANY(\(try binds.bind(ids))) OR code = ANY(\(try binds.bind(codes))))
            SELECT \(SPKRows.columns), o.start_date::text FROM \(SPKRows.source)
            WHERE s.id IN (SELECT id FROM wanted)
               OR (s.order_id, s.sequence) IN (SELECT order_id, sequence - 1 FROM wanted WHERE order_id IS NOT NULL)
            ORDER BY s.id FOR UPDATE OF s
            """, binds, logger: context.logger)
        var locked = LockedStages()
        for row in rows {
            let spk = try SPKRows.spk(from: row)
            locked.byId[spk.id] = spk
            locked.idOfCode[spk.code] = spk.id
            if let order = spk.orderId,
                let start = try row.makeRandomAccess()[SPKRows.extraColumn].decode(String?.self).flatMap(LocalDate.init)
            {
                locked.orderStart[order] = start
            }
        }
        return locked
    }
}
