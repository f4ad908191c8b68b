import Contracts
import Foundation
import ServiceKit

/// The daily entries recorded against SPKs, and their reversals. Works in the message's unit of work, as
/// `SPKRepository` does. (Recording entries is daily input's own path, `DailyInputHandlers`, on `SPKStore` for now.)
protocol DailyInputRepository: Sendable {
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
