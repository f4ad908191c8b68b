import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Daily entries in memory, for running handlers without a database, as `PostgresDailyInputRepository` keeps
/// them (a void adds a reversal and marks the entry; totals sum both). No transactions and no locks.
final class InMemoryDailyInputRepository: DailyInputRepository {
    private struct Row {
        var entry: RecordedEntry
        var shift: Shift
        var voided = false
        var reverses: UUID?
    }

    private let rows = Mutex<[UUID: Row]>([:])

    init() {}

    /// An entry as daily input records it (its own path, on `SPKStore`, for now): what a test starts from.
    @discardableResult
    func record(_ entry: DailyInputEntry, on spk: UUID, id: UUID = UUID()) -> UUID {
        rows.withLock {
            $0[id] = Row(
                entry: RecordedEntry(id: id, spkId: spk, date: entry.date, qty: entry.qty, rejectQty: entry.rejectQty),
                shift: entry.shift ?? .none)
        }
        return id
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
