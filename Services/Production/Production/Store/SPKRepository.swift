import Contracts
import Foundation
import ServiceKit

/// SPKs and the approved target changes applied to them. Every method works in the message's open unit of work
/// (`context`): a PostgreSQL transaction in a running service (`PostgresSPKRepository`), nothing in a unit test
/// (`InMemorySPKRepository`). A reference is an SPK's id or its code (any case).
protocol SPKRepository: Sendable {
    /// The next code of `day` (`SPK-YYYYMMDD-NNNN`), unique across instances.
    func nextCode(on day: LocalDate, in context: MessageContext) async throws -> String
    /// A new SPK; its code or its place in an order taken already is a 409.
    func insert(_ spk: SPK, in context: MessageContext) async throws
    /// By id or code; `lock` holds it until the unit of work ends (changes to one SPK serialise).
    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> SPK?
    /// The SPK locked with its order's previous stage (and the next one with `withNext`), in route order; 404 if none.
    func requireWithNeighbours(_ reference: String, withNext: Bool, in context: MessageContext) async throws -> SPKNeighbourhood
    /// Every SPK `references` names with its order's previous stage (and the order's start), locked until the unit of
    /// work ends in one go (a batch of daily inputs); a reference that names none is missing from the answer.
    func lockAll(_ references: [String], in context: MessageContext) async throws -> LockedStages
    /// Filtered, ordered by due date then code, one page of them.
    func list(_ query: ListSPKs, in context: MessageContext) async throws -> Page<SPK>
    /// The NOT_STARTED and IN_PROGRESS SPKs of `department`, by due date then code.
    func open(department: Department, in context: MessageContext) async throws -> [SPK]

    /// Writes the SPK's status (a hold, resume, cancel or close).
    func updateStatus(_ spk: SPK, in context: MessageContext) async throws
    /// Writes the SPK's target and the status it leads to.
    func updateTarget(_ spk: SPK, in context: MessageContext) async throws
    /// Writes the SPK's output figures and status.
    func updateProgress(_ spk: SPK, in context: MessageContext) async throws

    /// The approved target changes of an SPK, oldest first.
    func targetChanges(of spk: UUID, in context: MessageContext) async throws -> [TargetChange]
    /// Records an applied change; false if this approval was applied before.
    func recordTargetChange(_ change: TargetChange, spk: UUID, in context: MessageContext) async throws -> Bool

    /// The SPKs of `department` changed after `sequence`, oldest change first, with their change numbers.
    func changes(department: Department, after sequence: Int64, limit: Int, in context: MessageContext) async throws
        -> [(spk: SPK, sequence: Int64)]
    /// A change number below which every change of `department` has certainly committed: numbers are drawn before
    /// commit, so a change younger than `settledBefore` may still be in flight behind a higher number.
    func settledCursor(department: Department, settledBefore: Date, in context: MessageContext) async throws -> Int64
    /// Every SPK after `id` (nil: from the start) in id order, at most `limit`.
    func export(after id: UUID?, limit: Int, in context: MessageContext) async throws -> [SPK]
}

extension SPKRepository {
    /// By id or code; 404 naming the reference if there is none.
    func require(_ reference: String, lock: Bool = false, in context: MessageContext) async throws -> SPK {
        guard let spk = try await find(reference, lock: lock, in: context) else { throw ErrorReply.notFound("SPK \(reference)") }
        return spk
    }
}

/// An SPK with the neighbouring stages of its order, as locked for a change of its output.
struct SPKNeighbourhood {
    var previous: SPK?
    var spk: SPK
    var next: SPK?
    /// The order's start (read on the same rows): any stage may take input from then.
    var orderStart: LocalDate?
}
