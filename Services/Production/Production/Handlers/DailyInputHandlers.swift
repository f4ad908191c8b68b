import Contracts
import Foundation
import Messaging
import ServiceKit

/// Recording what a line produced: entries from the web, a phone's backlog — one path for all. Entries that reach
/// Production together (`HandlerRegistry.handleBatch`; one alone is a batch of one) and the entries of a phone's
/// batch are applied by `apply`: the SPKs they name locked by one statement, the entries applied in memory in
/// order (a second entry for an SPK sees the first), all their writes sent as one statement. A refused entry writes
/// nothing and is answered alone; a `client_entry_id` seen before is answered from the store. It decides on what
/// Production holds: it never waits on another service while it holds SPK rows locked.
struct DailyInputHandlers {
    let policy: ProductionPolicy
    let spks: any SPKRepository
    let inputs: any DailyInputRepository
    /// Production's copy of Quality's defect codes.
    let defects: any DefectCodeRepository

    /// One entry to apply, with the message it came in.
    struct Request {
        var spk: String
        var entry: DailyInputEntry
        var `operator`: OperatorRef?
        var context: MessageContext
    }

    /// An entry's outcome: its result, and whether it was recorded before (a repeat of its `client_entry_id`).
    typealias Outcome = Result<(result: DailyInputResult, duplicate: Bool), ErrorReply>

    func record(_ commands: [(command: RecordDailyInput, context: MessageContext)]) async throws -> [Result<DailyInputResult, ErrorReply>] {
        try await apply(commands.map { Request(spk: $0.command.spk, entry: $0.command.entry, operator: $0.command.operator, context: $0.context) })
            .map { outcome in outcome.map(\.result) }
    }

    /// A phone's backlog: each entry judged on its own and answered `recorded`, `duplicate` or `rejected`.
    func recordBatch(_ command: RecordMobileBatch, _ context: MessageContext) async throws -> [MobileEntryResult] {
        guard !command.entries.isEmpty, command.entries.count <= RecordMobileBatch.maxEntries else {
            throw ErrorReply.validation([.init(field: "entries", message: "must hold 1 to \(RecordMobileBatch.maxEntries) entries")])
        }
        // Judged on its own (RecordMobileBatch is ItemwiseValidated): text the database would refuse rejects this
        // entry, not the batch.
        let textProblems = command.entries.map { InputRules.textProblems(in: $0) }
        let admitted = command.entries.indices.filter { textProblems[$0].isEmpty }
        let outcomes = try await apply(
            admitted.map {
                Request(spk: command.entries[$0].spkId, entry: command.entries[$0].entry, operator: command.entries[$0].operator, context: context)
            })
        var results = command.entries.indices.map { index in
            MobileEntryResult(
                clientEntryId: command.entries[index].entry.clientEntryId, status: .rejected,
                error: .validation(textProblems[index]))
        }
        for (index, outcome) in zip(admitted, outcomes) {
            let id = command.entries[index].entry.clientEntryId
            switch outcome {
            case .success(let (result, duplicate)):
                results[index] = MobileEntryResult(clientEntryId: id, status: duplicate ? .duplicate : .recorded, result: result)
            case .failure(let refusal):
                results[index] = MobileEntryResult(clientEntryId: id, status: .rejected, error: refusal)
            }
        }
        return results
    }

    /// Applies `requests` in order, as they would be one after another; an outcome for each.
    func apply(_ requests: [Request]) async throws -> [Outcome] {
        guard let first = requests.first?.context else { return [] }
        var outcomes = [Outcome?](repeating: nil, count: requests.count)
        // A client_entry_id named twice in these requests answers as its first: the same entry a duplicate of it.
        var firstWithKey: [String: Int] = [:]
        var repeats: [(index: Int, of: Int)] = []
        for (index, request) in requests.enumerated() {
            do {
                try DailyInputRules.validate(request.entry)
            } catch {
                outcomes[index] = .failure(error)
                continue
            }
            guard let key = request.entry.clientEntryId else { continue }
            if let earlier = firstWithKey[key] {
                repeats.append((index, earlier))
                outcomes[index] = .failure(ErrorReply(.internalError, "answered as its first copy"))  // replaced below
                continue
            }
            firstWithKey[key] = index
            do {
                if let stored = try await recorded(key, as: request.entry, for: request.spk, request.context) {
                    outcomes[index] = .success((stored, true))
                }
            } catch let refusal as ErrorReply {
                outcomes[index] = .failure(refusal)
            }
        }
        let open = requests.indices.filter { outcomes[$0] == nil }
        if !open.isEmpty {
            var stages = try await spks.lockAll(open.map { requests[$0].spk }, in: first)
            var accepted: [AcceptedInput] = []
            for index in open {
                let request = requests[index]
                guard let id = stages.id(of: request.spk), let neighbourhood = stages.neighbourhood(of: id) else {
                    outcomes[index] = .failure(.notFound("SPK \(request.spk)"))
                    continue
                }
                do {
                    let entry = try await accept(request.entry, operator: request.operator, at: neighbourhood, request.context)
                    stages.byId[id] = entry.spk
                    accepted.append(entry)
                    outcomes[index] = .success((entry.result, false))
                } catch let refusal as ErrorReply {
                    outcomes[index] = .failure(refusal)
                }
            }
            try await inputs.record(accepted, in: first)
        }
        for (index, earlier) in repeats {
            outcomes[index] = Self.repeated(requests[index], of: requests[earlier], outcome: outcomes[earlier]!)
        }
        return outcomes.map { $0! }
    }

    /// The outcome of a `client_entry_id`'s second copy in one batch: its first's result, as a duplicate, when it is
    /// the same entry; else the client's mistake, as `recorded(_:as:for:_:)` answers it.
    private static func repeated(_ request: Request, of first: Request, outcome: Outcome) -> Outcome {
        let (entry, earlier) = (request.entry, first.entry)
        guard request.spk == first.spk, entry.date == earlier.date, entry.qty == earlier.qty, entry.rejectQty == earlier.rejectQty else {
            return .failure(
                reused(entry.clientEntryId ?? "", first: "\(first.spk), \(earlier.date), qty \(earlier.qty), reject_qty \(earlier.rejectQty)"))
        }
        return outcome.map { ($0.result, true) }
    }

    /// A `client_entry_id` given to another entry: 422 naming it.
    private static func reused(_ key: String, first: String) -> ErrorReply {
        .rule(
            "client_entry_id \(key) was used for another entry (\(first)); give a new entry a new id.",
            details: [FieldError(field: "client_entry_id", message: "was used for another entry")])
    }

    /// The result of the entry recorded before under `key`, if any — when it is this entry (the same SPK, date
    /// and quantities). The same id for another entry is a client's mistake, answered 422 naming
    /// `client_entry_id`: answering it as a duplicate would tell a phone its new entry was kept.
    private func recorded(_ key: String, as entry: DailyInputEntry, for spk: String, _ context: MessageContext) async throws
        -> DailyInputResult?
    {
        guard let (result, first) = try await inputs.recorded(key, in: context) else { return nil }
        if let first {
            let sameSPK = UUID(uuidString: spk) == first.spkId || RecordReference.code(spk) == first.spkCode
            guard sameSPK, first.date == entry.date, first.qty == entry.qty, first.rejectQty == entry.rejectQty else {
                throw Self.reused(key, first: "\(first.spkCode), \(first.date), qty \(first.qty), reject_qty \(first.rejectQty)")
            }
        }
        return result
    }

    /// Applies `entry` to the SPK of `stages` as it stands (locked): the rules, the defect codes, the new figures.
    private func accept(
        _ entry: DailyInputEntry, operator: OperatorRef?, at stages: SPKNeighbourhood,
        _ context: MessageContext
    ) async throws -> AcceptedInput {
        let (previous, before) = (stages.previous, stages.spk)
        let now = context.now
        let surroundings = DailyInputRules.Surroundings(previousStage: previous, earliestDate: stages.orderStart, operator: `operator`)
        let outcome = try DailyInputRules.apply(
            entry, to: before, actor: context.actor, policy: policy, today: policy.today(at: now), surroundings: surroundings)
        if let lines = entry.defects, !lines.isEmpty {
            let known = try await defects.resolve(
                lines.map { DailyInputRules.normalizedDefectCode($0.code) }, stage: before.stage, in: context)
            try DailyInputRules.checkDefects(entry, stage: before.stage, known: known)
        }
        var spk = before
        spk.producedQty = outcome.producedQty
        spk.rejectQty = outcome.rejectQty
        spk.status = outcome.status
        spk.progress = progressPercent(produced: spk.producedQty, target: spk.targetQty)
        spk.availableWip = previous.map { max(0, $0.producedQty - spk.producedQty) }
        spk.updatedAt = now
        spk.version += 1

        let entryId = UUID()
        var recorded = entry
        recorded.shift = outcome.shift
        recorded.operatorId = outcome.operatorId
        recorded.defects = entry.defects.map { $0.map { DefectCount(code: DailyInputRules.normalizedDefectCode($0.code), qty: $0.qty) } }
        let actor = context.actor?.username ?? "unknown"
        // One audit row for the entry and the SPK's figures it moved.
        let audit = try AuditLog.Row(
            entity: "daily_input", id: entryId.uuidString, action: "record", actor: context.actor,
            correlationId: context.header.correlationId, before: InputAudit(spk: before, entry: nil),
            after: InputAudit(spk: spk, entry: recorded))
        var events = [try context.message(for: DailyInputRecorded(entryId: entryId, spk: spk, entry: recorded, recordedBy: actor))]
        if spk.status == .completed && before.status != .completed {
            events.append(try context.message(for: SPKCompleted(spk: spk)))
        }
        let result = DailyInputResult(
            entryId: entryId, cumulative: spk.producedQty, target: spk.targetQty,
            progress: spk.progress, spkStatus: spk.status)
        return AcceptedInput(
            spk: spk, entryId: entryId, entry: recorded, shift: outcome.shift, recordedBy: actor, audit: audit, events: events,
            result: result)
    }
}

/// What the audit log keeps of a daily input: the SPK's figures before and after, and the entry.
struct InputAudit: Encodable {
    var spkId: UUID
    var spkCode: String
    var producedQty: Int
    var rejectQty: Int
    var status: SPKStatus
    var version: Int
    var entry: DailyInputEntry?

    init(spk: SPK, entry: DailyInputEntry?) {
        spkId = spk.id
        spkCode = spk.code
        producedQty = spk.producedQty
        rejectQty = spk.rejectQty
        status = spk.status
        version = spk.version
        self.entry = entry
    }
}
