import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Daily entries in schema `production`, on the message's transaction.
struct PostgresDailyInputRepository: DailyInputRepository {
    func input(_ id: UUID, in context: MessageContext) async throws -> StoredInput? {
        let rows = try await context.connection.query(
            """
            SELECT id, spk_id, input_date::text, qty, reject_qty, shift, voided_at IS NOT NULL, reverses IS NOT NULL
            FROM daily_inputs WHERE id = \(id) FOR UPDATE
            """, logger: context.logger)
        for try await (id, spk, date, qty, rejects, shift, voided, reversal)
            in rows.decode((UUID, UUID, String, Int, Int, String, Bool, Bool).self)
        {
            return StoredInput(
                id: id, spkId: spk, date: date, qty: qty, rejectQty: rejects, shift: shift, voided: voided,
                isReversal: reversal)
        }
        return nil
    }

    func recordReversal(of input: StoredInput, id: UUID, reason: String, by actor: String, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, notes, recorded_by, reverses)
            VALUES (\(id), \(input.spkId), \(input.date)::date, \(-input.qty), \(-input.rejectQty), \(input.shift),
                    \("void: " + reason), \(actor), \(input.id))
            """, logger: context.logger)
        try await context.connection.query(
            """
            UPDATE daily_inputs SET voided_at = now(), voided_by = \(actor), void_reason = \(reason) WHERE id = \(input.id)
            """, logger: context.logger)
    }

    func dailyTotals(of spk: UUID, in context: MessageContext) async throws -> [DailyTotal] {
        let rows = try await context.connection.query(
            """
            SELECT input_date::text, sum(qty)::bigint, sum(reject_qty)::bigint FROM daily_inputs
            WHERE spk_id = \(spk) GROUP BY input_date ORDER BY input_date
            """, logger: context.logger)
        var days: [DailyTotal] = []
        for try await (date, qty, rejects) in rows.decode((String, Int, Int).self) {
            days.append(DailyTotal(date: LocalDate(date)!, qty: qty, rejectQty: rejects))
        }
        return days
    }

    func exportInputs(after id: UUID?, limit: Int, in context: MessageContext) async throws -> [RecordedEntry] {
        let rows = try await context.connection.query(
            """
            SELECT id, spk_id, input_date::text, qty, reject_qty FROM daily_inputs
            WHERE id > \(id ?? PostgresSPKRepository.noId) ORDER BY id LIMIT \(limit)
            """, logger: context.logger)
        var items: [RecordedEntry] = []
        for try await (id, spk, date, qty, rejects) in rows.decode((UUID, UUID, String, Int, Int).self) {
            items.append(RecordedEntry(id: id, spkId: spk, date: LocalDate(date)!, qty: qty, rejectQty: rejects))
        }
        return items
    }
}
