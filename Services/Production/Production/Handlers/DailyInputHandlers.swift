import Contracts
import Foundation
import Messaging
import ServiceKit

/// Recording what a line produced: one entry from the web, or a phone's backlog.
struct DailyInputHandlers {
    let policy: ProductionPolicy

    func record(_ command: RecordDailyInput, _ context: MessageContext) async throws -> DailyInputResult {
        try await record(spk: command.spk, entry: command.entry, operator: command.operator, context).result
    }

    /// Each entry in its own savepoint: a refused entry is rolled back alone and answered `rejected`.
    func recordBatch(_ command: RecordMobileBatch, _ context: MessageContext) async throws -> [MobileEntryResult] {
        guard !command.entries.isEmpty, command.entries.count <= RecordMobileBatch.maxEntries else {
            throw ErrorReply.validation([.init(field: "entries", message: "must hold 1 to \(RecordMobileBatch.maxEntries) entries")])
        }
        var results: [MobileEntryResult] = []
        for item in command.entries {
            // Judged on its own (RecordMobileBatch is ItemwiseValidated): text the database would refuse
            // rejects this entry, not the batch.
            let textProblems = InputRules.textProblems(in: item)
            if !textProblems.isEmpty {
                results.append(MobileEntryResult(clientEntryId: item.entry.clientEntryId, status: .rejected, error: .validation(textProblems)))
                continue
            }
            try await context.connection.query("SAVEPOINT mobile_entry", logger: context.logger)
            do {
                let (result, duplicate) = try await record(spk: item.spkId, entry: item.entry, operator: item.operator, context)
                try await context.connection.query("RELEASE SAVEPOINT mobile_entry", logger: context.logger)
                results.append(MobileEntryResult(clientEntryId: item.entry.clientEntryId,
                                                 status: duplicate ? .duplicate : .recorded, result: result))
            } catch let refusal as ErrorReply {
                try await context.connection.query("ROLLBACK TO SAVEPOINT mobile_entry", logger: context.logger)
                results.append(MobileEntryResult(clientEntryId: item.entry.clientEntryId, status: .rejected, error: refusal))
            }
        }
        return results
    }

    /// Applies one entry, or returns the first result for a `client_entry_id` seen before.
    private func record(spk reference: String, entry: DailyInputEntry, operator: OperatorRef?, _ context: MessageContext) async throws
        -> (result: DailyInputResult, duplicate: Bool) {
        try DailyInputRules.validate(entry)
        let store = SPKStore(connection: context.connection, logger: context.logger)
        if let key = entry.clientEntryId, let stored = try await Self.recorded(key, as: entry, for: reference, in: store) {
            return (stored, true)
        }
        let accepted = try await accept(entry, operator: `operator`, at: try await store.requireWithNeighbours(reference), context)
        try await write([accepted], in: store)
        return (accepted.result, false)
    }

    /// A batch of entries (`HandlerRegistry.handleInBulk`), as `record` would apply them one after another, in a
    /// few statements for all: every SPK they name locked by one statement, the entries applied in memory in
    /// order (a second entry for an SPK sees the first), and all their writes sent as one statement. A refused
    /// entry writes nothing and is answered alone; a repeated `client_entry_id` is answered from the store.
    func recordAll(_ commands: [(command: RecordDailyInput, context: MessageContext)]) async throws -> [Result<DailyInputResult, ErrorReply>] {
        guard let first = commands.first?.context else { return [] }
        let store = SPKStore(connection: first.connection, logger: first.logger)
        var outcomes = [Result<DailyInputResult, ErrorReply>?](repeating: nil, count: commands.count)
        var keys = Set<String>()
        for (index, (command, _)) in commands.enumerated() {
            do {
                try DailyInputRules.validate(command.entry)
            } catch {
                outcomes[index] = .failure(error)
                continue
            }
            guard let key = command.entry.clientEntryId else { continue }
            guard keys.insert(key).inserted else { throw RunsAlone("daily input \(key) comes twice in one batch") }
            do {
                if let stored = try await Self.recorded(key, as: command.entry, for: command.spk, in: store) {
                    outcomes[index] = .success(stored)
                }
            } catch let refusal as ErrorReply {
                outcomes[index] = .failure(refusal)
            }
        }
        let open = commands.indices.filter { outcomes[$0] == nil }
        guard !open.isEmpty else { return outcomes.map { $0! } }
        var stages = try await store.lockAll(open.map { commands[$0].command.spk })
        var accepted: [Accepted] = []
        for index in open {
            let (command, context) = commands[index]
            guard let id = stages.id(of: command.spk), let neighbourhood = stages.neighbourhood(of: id) else {
                outcomes[index] = .failure(.notFound("SPK \(command.spk)"))
                continue
            }
            do {
                let entry = try await accept(command.entry, operator: command.operator, at: neighbourhood, context)
                stages.byId[id] = entry.spk
                accepted.append(entry)
                outcomes[index] = .success(entry.result)
            } catch let refusal as ErrorReply {
                outcomes[index] = .failure(refusal)
            }
        }
        try await write(accepted, in: store)
        return outcomes.map { $0! }
    }

    /// The result of the entry recorded before under `key`, if any — when it is this entry (the same SPK, date
    /// and quantities). The same id for another entry is a client's mistake, answered 422 naming
    /// `client_entry_id`: answering it as a duplicate would tell a phone its new entry was kept.
    private static func recorded(_ key: String, as entry: DailyInputEntry, for spk: String, in store: SPKStore) async throws
        -> DailyInputResult? {
        guard let stored = try await IdempotencyStore.stored(scope: scope, key: key, on: store.connection, logger: store.logger) else {
            return nil
        }
        guard !stored.isEmpty else { throw ConcurrentRepeat("daily input \(key) is being recorded by another request") }
        let result = try StitchJSON.decode(DailyInputResult.self, from: Array(stored.utf8))
        if let first = try await store.recordedEntry(result.entryId) {
            let sameSPK = UUID(uuidString: spk) == first.spkId || RecordReference.code(spk) == first.spkCode
            guard sameSPK, first.date == entry.date, first.qty == entry.qty, first.rejectQty == entry.rejectQty else {
                throw ErrorReply.rule("client_entry_id \(key) was used for another entry (\(first.spkCode), \(first.date), "
                                      + "qty \(first.qty), reject_qty \(first.rejectQty)); give a new entry a new id.",
                                      details: [FieldError(field: "client_entry_id", message: "was used for another entry")])
            }
        }
        return result
    }

    /// Writes accepted entries, in order: their `client_entry_id`s with their results, then the entries, the SPKs'
    /// figures (each SPK once, as it ends), the audit rows and the events as one statement.
    private func write(_ accepted: [Accepted], in store: SPKStore) async throws {
        guard !accepted.isEmpty else { return }
        let keyed = accepted.filter { $0.row.entry.clientEntryId != nil }
        if !keyed.isEmpty {
            // Each key is written once, with its outcome. Taken meanwhile: the same entry was recorded by a
            // request that committed first (a phone and its retry racing); this one rolls back and, tried
            // again, answers that one's outcome as a duplicate. Before the entries' own rows, whose unique
            // client_entry_id would otherwise refuse the retry first (409 for an entry that was recorded).
            let taken = try await IdempotencyStore.recordAll(keyed.map {
                (Self.scope, $0.row.entry.clientEntryId!, String(decoding: try StitchJSON.encode($0.result), as: UTF8.self))
            }, on: store.connection, logger: store.logger)
            guard taken.isEmpty else { throw ConcurrentRepeat("daily input \(taken[0].key) was recorded by another request meanwhile") }
        }
        var last: [UUID: SPK] = [:]
        for entry in accepted { last[entry.spk.id] = entry.spk }
        var write = CombinedWrite()
        try store.insertInputs(accepted.map(\.row), into: &write)
        try store.updateProgress(Array(last.values), into: &write)
        try write.audit(accepted.map(\.audit))
        try write.publish(accepted.flatMap(\.events))
        try await write.run(on: store.connection, logger: store.logger)
    }

    static let scope = "daily-input"

    /// An entry the rules accept, and everything it writes.
    struct Accepted {
        var spk: SPK
        var row: (id: UUID, spk: UUID, entry: DailyInputEntry, shift: Shift, recordedBy: String)
        var audit: AuditLog.Row
        var events: [OutgoingMessage]
        var result: DailyInputResult
    }

    /// Applies `entry` to the SPK of `stages` as it stands (locked): the rules, the defect codes, the new figures.
    private func accept(_ entry: DailyInputEntry, operator: OperatorRef?, at stages: SPKStore.Neighbourhood,
                        _ context: MessageContext) async throws -> Accepted {
        let (previous, before) = (stages.previous, stages.spk)
        let surroundings = DailyInputRules.Surroundings(previousStage: previous, earliestDate: stages.orderStart, operator: `operator`)
        let outcome = try DailyInputRules.apply(entry, to: before, actor: context.actor, policy: policy, surroundings: surroundings)
        if let defects = entry.defects, !defects.isEmpty {
            let known = try await DefectCodeCopy(connection: context.connection, logger: context.logger)
                .resolve(defects.map { DailyInputRules.normalizedDefectCode($0.code) }, stage: before.stage, context)
            try DailyInputRules.checkDefects(entry, stage: before.stage, known: known)
        }
        var spk = before
        spk.producedQty = outcome.producedQty
        spk.rejectQty = outcome.rejectQty
        spk.status = outcome.status
        spk.progress = progressPercent(produced: spk.producedQty, target: spk.targetQty)
        spk.availableWip = previous.map { max(0, $0.producedQty - spk.producedQty) }
        spk.updatedAt = policy.now()
        spk.version += 1

        let entryId = UUID()
        var recorded = entry
        recorded.shift = outcome.shift
        recorded.operatorId = outcome.operatorId
        recorded.defects = entry.defects.map { $0.map { DefectCount(code: DailyInputRules.normalizedDefectCode($0.code), qty: $0.qty) } }
        let actor = context.actor?.username ?? "unknown"
        // One audit row for the entry and the SPK's figures it moved.
        let audit = try AuditLog.Row(entity: "daily_input", id: entryId.uuidString, action: "record", actor: context.actor,
                                     correlationId: context.header.correlationId, before: InputAudit(spk: before, entry: nil),
                                     after: InputAudit(spk: spk, entry: recorded))
        var events = [try context.message(for: DailyInputRecorded(entryId: entryId, spk: spk, entry: recorded, recordedBy: actor))]
        if spk.status == .completed && before.status != .completed {
            events.append(try context.message(for: SPKCompleted(spk: spk)))
        }
        let result = DailyInputResult(entryId: entryId, cumulative: spk.producedQty, target: spk.targetQty,
                                      progress: spk.progress, spkStatus: spk.status)
        return Accepted(spk: spk, row: (entryId, spk.id, recorded, outcome.shift, actor), audit: audit, events: events, result: result)
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
