import Contracts
import Foundation
import Messaging
import ServiceKit

/// The daily entries recorded against SPKs, and their reversals. Works in the message's unit of work, as
/// `SPKRepository` does.
protocol DailyInputRepository: Sendable {
    /// The result stored under a `client_entry_id`, with the entry it recorded (nil if that entry is gone).
    /// A key another request holds without a result yet is a `ConcurrentRepeat` (retried).
    func recorded(_ clientEntryId: String, in context: MessageContext) async throws -> (result: DailyInputResult, entry: KeyedEntry?)?
    /// Writes a batch of accepted entries, in order: their `client_entry_id`s with their results, the entries, the
    /// SPKs' figures (each SPK once, as it ends), the audit rows and the events. A `client_entry_id` taken meanwhile
    /// by another request is a `ConcurrentRepeat`: the batch rolls back and, tried again, answers that one's result.
    func record(_ accepted: [AcceptedInput], in context: MessageContext) async throws
    /// An entry, locked until the unit of work ends (two voids at once: one wins).
    func input(_ id: UUID, in context: MessageContext) async throws -> StoredInput?
    /// Records the reversal `id` of `input` and marks `input` voided by `actor`.
    func recordReversal(of input: StoredInput, id: UUID, reason: String, by actor: String, in context: MessageContext) async throws
    /// Good and rejected output of an SPK per date, several entries on one date summed, oldest date first.
    func dailyTotals(of spk: UUID, in context: MessageContext) async throws -> [DailyTotal]
    /// Every entry and reversal after `id` (nil: from the start) in id order, at most `limit`.
    func exportInputs(after id: UUID?, limit: Int, in context: MessageContext) async throws -> [RecordedEntry]
}

/// A recorded daily entry as voiding needs it.
struct StoredInput: Sendable {
    var id: UUID
    var spkId: UUID
    /// `YYYY-MM-DD`.
    var date: String
    var qty: Int
    var rejectQty: Int
    var shift: String
    var voided: Bool
    var isReversal: Bool
}

/// An SPK's output on one date.
struct DailyTotal: Sendable, Equatable {
    var date: LocalDate
    var qty: Int
    var rejectQty: Int
}

/// What an entry recorded under a `client_entry_id` was: a repeat must carry the same entry to be its duplicate.
struct KeyedEntry: Sendable, Equatable {
    var spkId: UUID
    var spkCode: String
    var date: LocalDate
    var qty: Int
    var rejectQty: Int
}

/// An entry the rules accepted, and everything recording it writes.
struct AcceptedInput {
    /// The SPK as the entry leaves it.
    var spk: SPK
    var entryId: UUID
    /// The entry as recorded: its shift, operator and defect codes normalised.
    var entry: DailyInputEntry
    var shift: Shift
    var recordedBy: String
    var audit: AuditLog.Row
    var events: [OutgoingMessage]
    var result: DailyInputResult
}
