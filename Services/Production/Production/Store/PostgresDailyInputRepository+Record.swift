import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit

/// Recording a batch of daily inputs: daily input's hottest path, so its writes are two statements whatever the
/// batch's size — the `client_entry_id`s with their results, then everything else combined.
extension PostgresDailyInputRepository {
    /// The `idempotency_keys` scope of `client_entry_id`s.
    static let scope = "daily-input"

    func recorded(_ clientEntryId: String, in context: MessageContext) async throws -> (result: DailyInputResult, entry: KeyedEntry?)? {
        guard
            let stored = try await IdempotencyStore.stored(
                scope: Self.scope, key: clientEntryId, on: context.connection, logger: context.logger)
        else { return nil }
        guard !stored.isEmpty else { throw ConcurrentRepeat("daily input \(clientEntryId) is being recorded by another request") }
        let result = try StitchJSON.decode(DailyInputResult.self, from: Array(stored.utf8))
        return (result, try await entry(result.entryId, in: context))
    }

    func record(_ accepted: [AcceptedInput], in context: MessageContext) async throws {
        guard !accepted.isEmpty else { return }
        let keyed = accepted.filter { $0.entry.clientEntryId != nil }
        if !keyed.isEmpty {
            // Each key is written once, with its outcome. Taken meanwhile: the same entry was recorded by a
            // request that committed first (a phone and its retry racing); this one rolls back and, tried
            // again, answers that one's outcome as a duplicate. Before the entries' own rows, whose unique
            // client_entry_id would otherwise refuse the retry first (409 for an entry that was recorded).
            let taken = try await IdempotencyStore.recordAll(
                keyed.map {
                    (Self.scope, $0.entry.clientEntryId!, String(decoding: try StitchJSON.encode($0.result), as: UTF8.self))
                }, on: context.connection, logger: context.logger)
            guard taken.isEmpty else { throw ConcurrentRepeat("daily input \(taken[0].key) was recorded by another request meanwhile") }
        }
        var last: [UUID: SPK] = [:]
        for entry in accepted { last[entry.spk.id] = entry.spk }
        var write = CombinedWrite()
        try Self.insertInputs(accepted, into: &write)
        try PostgresSPKRepository.updateProgress(Array(last.values), into: &write)
        try write.audit(accepted.map(\.audit))
        try write.publish(accepted.flatMap(\.events))
        try await write.run(context)
    }

    /// Many daily entries' rows, as one part of a combined statement.
    private static func insertInputs(_ inputs: [AcceptedInput], into write: inout CombinedWrite) throws {
        struct Row: Encodable {
            var id: UUID, spk: UUID, date: String, qty: Int, rejected: Int, shift: String
            var operatorId: String?, notes: String?, clientEntryId: String?, recordedBy: String
        }
        let rows = inputs.map {
            Row(
                id: $0.entryId, spk: $0.spk.id, date: $0.entry.date.description, qty: $0.entry.qty, rejected: $0.entry.rejectQty,
                shift: $0.shift.rawValue, operatorId: $0.entry.operatorId, notes: $0.entry.notes, clientEntryId: $0.entry.clientEntryId,
                recordedBy: $0.recordedBy)
        }
        write.add(
            """
            INSERT INTO daily_inputs (id, spk_id, input_date, qty, reject_qty, shift, operator_id, notes, client_entry_id, recorded_by)
            SELECT id, spk, date::date, qty, rejected, shift, "operatorId", notes, "clientEntryId", "recordedBy"
            FROM jsonb_to_recordset(\(try write.bind(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)))::jsonb)
                 AS r(id uuid, spk uuid, date text, qty integer, rejected integer, shift text, "operatorId" text, notes text,
                      "clientEntryId" text, "recordedBy" text)
            """)
    }

    /// The entry `id` as a repeated `client_entry_id` is compared with: its SPK by id and code, date and quantities.
    private func entry(_ id: UUID, in context: MessageContext) async throws -> KeyedEntry? {
        let rows = try await context.connection.query(
            """
            SELECT d.spk_id, s.code, d.input_date::text, d.qty, d.reject_qty
            FROM daily_inputs d JOIN spks s ON s.id = d.spk_id WHERE d.id = \(id)
            """, logger: context.logger)
        for try await (spk, code, date, qty, rejects) in rows.decode((UUID, String, String, Int, Int).self) {
            guard let day = LocalDate(date) else { return nil }
            return KeyedEntry(spkId: spk, spkCode: code, date: day, qty: qty, rejectQty: rejects)
        }
        return nil
    }
}
