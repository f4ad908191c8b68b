import Contracts
import Foundation
import Messaging
import ServiceKit
import Synchronization

/// Daily entries in memory, for running handlers without a database, as `PostgresDailyInputRepository` keeps
/// them (a void adds a reversal and marks the entry; totals sum both; a `client_entry_id` keeps its result).
/// Recording moves the SPKs' figures in `spks` and hands the audit rows and events to the context's effects.
/// No transactions and no locks.
final class InMemoryDailyInputRepository: DailyInputRepository {
    private struct Row {
        var entry: RecordedEntry
        var shift: Shift
        var voided = false
        var reverses: UUID?
    }

    private let rows = Mutex<[UUID: Row]>([:])
    /// Results by `client_entry_id`.
    private let keys = Mutex<[String: DailyInputResult]>([:])
    private let spks: InMemorySPKRepository

    init(spks: InMemorySPKRepository) {
        self.spks = spks
    }

    /// An entry as recorded, without the figures it moves: what a test starts from.
    @discardableResult
    func record(_ entry: DailyInputEntry, on spk: UUID, id: UUID = UUID()) -> UUID {
        rows.withLock {
            $0[id] = Row(
                entry: RecordedEntry(id: id, spkId: spk, date: entry.date, qty: entry.qty, rejectQty: entry.rejectQty),
                shift: entry.shift ?? .none)
        }
        return id
    }

    func recorded(_ clientEntryId: String, in context: MessageContext) async throws -> (result: DailyInputResult, entry: KeyedEntry?)? {
        guard let result = keys.withLock({ $0[clientEntryId] }) else { return nil }
        guard let entry = rows.withLock({ $0[result.entryId]?.entry }) else { return (result, nil) }
        let spk = try await spks.find(entry.spkId.uuidString, lock: false, in: context)
        return (
            result,
            spk.map { KeyedEntry(spkId: entry.spkId, spkCode: $0.code, date: entry.date, qty: entry.qty, rejectQty: entry.rejectQty) }
        )
    }

    func record(_ accepted: [AcceptedInput], in context: MessageContext) async throws {
        guard !accepted.isEmpty else { return }
        try keys.withLock { keys in
            let keyed = accepted.compactMap { entry in entry.entry.clientEntryId.map { ($0, entry.result) } }
            if let taken = keyed.first(where: { keys[$0.0] != nil }) {
                throw ConcurrentRepeat("daily input \(taken.0) was recorded by another request meanwhile")
            }
            for (key, result) in keyed { keys[key] = result }
        }
        rows.withLock { rows in
            for input in accepted {
                rows[input.entryId] = Row(
                    entry: RecordedEntry(
                        id: input.entryId, spkId: input.spk.id, date: input.entry.date, qty: input.entry.qty,
                        rejectQty: input.entry.rejectQty),
                    shift: input.shift)
            }
        }
        var last: [UUID: SPK] = [:]
        for input in accepted { last[input.spk.id] = input.spk }
        for spk in last.values { try await spks.updateProgress(spk, in: context) }
        try await context.effects.audit(accepted.map(\.audit))
        try await context.effects.enqueue(accepted.flatMap(\.events))
    }

    func input(_ id: UUID, in context: MessageContext) async throws -> StoredInput? {
        rows.withLock { $0[id] }.map {
            StoredInput(
                id: $0.entry.id, spkId: $0.entry.spkId, date: $0.entry.date.description, qty: $0.entry.qty,
                rejectQty: $0.entry.rejectQty, shift: $0.shift.rawValue, voided: $0.voided, isReversal: $0.reverses != nil)
        }
    }

    func recordReversal(of input: StoredInput, id: UUID, reason: String, by actor: String, in context: MessageContext) async throws {
        rows.withLock { rows in
            rows[id] = Row(
                entry: RecordedEntry(
                    id: id, spkId: input.spkId, date: LocalDate(input.date)!, qty: -input.qty,
                    rejectQty: -input.rejectQty),
                shift: Shift(rawValue: input.shift) ?? .none, reverses: input.id)
            rows[input.id]?.voided = true
        }
    }

    func dailyTotals(of spk: UUID, in context: MessageContext) async throws -> [DailyTotal] {
        let entries = rows.withLock { $0.values.map(\.entry) }.filter { $0.spkId == spk }
        return Dictionary(grouping: entries, by: \.date).map { date, entries in
            DailyTotal(date: date, qty: entries.reduce(0) { $0 + $1.qty }, rejectQty: entries.reduce(0) { $0 + $1.rejectQty })
        }.sorted { $0.date < $1.date }
    }

    func exportInputs(after id: UUID?, limit: Int, in context: MessageContext) async throws -> [RecordedEntry] {
        let entries = rows.withLock { $0.values.map(\.entry) }
        return Array(
            entries.filter { entry in id.map { IdOrder.precedes($0, entry.id) } ?? true }
                .sorted { IdOrder.precedes($0.id, $1.id) }.prefix(limit))
    }
}
