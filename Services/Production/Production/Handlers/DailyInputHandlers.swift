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
        let scope = "daily-input"
        if let key = entry.clientEntryId,
           let stored = try await IdempotencyStore.stored(scope: scope, key: key, on: context.connection, logger: context.logger) {
            guard !stored.isEmpty else { throw ConcurrentRepeat("daily input \(key) is being recorded by another request") }
            return (try StitchJSON.decode(DailyInputResult.self, from: Array(stored.utf8)), true)
        }
        let store = SPKStore(connection: context.connection, logger: context.logger)
        let stages = try await store.requireWithNeighbours(reference)
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
        // The entry, the SPK's new figures, the audit row and the events: one statement.
        var write = CombinedWrite()
        try store.insertInput(id: entryId, spk: spk, entry: recorded, shift: outcome.shift, recordedBy: actor, into: &write)
        try store.updateProgress(spk, into: &write)
        // One audit row for the entry and the SPK's figures it moved.
        try write.audit(context, "daily_input", entryId.uuidString, "record", before: InputAudit(spk: before, entry: nil),
                        after: InputAudit(spk: spk, entry: recorded))
        try write.publish(DailyInputRecorded(entryId: entryId, spk: spk, entry: recorded, recordedBy: actor), context)
        if spk.status == .completed && before.status != .completed {
            try write.publish(SPKCompleted(spk: spk), context)
        }
        let result = DailyInputResult(entryId: entryId, cumulative: spk.producedQty, target: spk.targetQty,
                                      progress: spk.progress, spkStatus: spk.status)
        if let key = entry.clientEntryId {
            // The entry's key is written once, with its outcome. Taken meanwhile: the same entry was recorded by a
            // request that committed first (a phone and its retry racing); this one rolls back and, tried
            // again, answers that one's outcome as a duplicate. Before the entry's own row, whose unique
            // client_entry_id would otherwise refuse the retry first (409 for an entry that was recorded).
            guard try await IdempotencyStore.record(scope: scope, key: key, reply: String(decoding: try StitchJSON.encode(result), as: UTF8.self),
                                                    on: context.connection, logger: context.logger) else {
                throw ConcurrentRepeat("daily input \(key) was recorded by another request meanwhile")
            }
        }
        try await write.run(context)
        return (result, false)
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
