import Contracts
import Foundation
import Logging
import PostgresNIO

/// Judges SPKs by the health rules and stores the verdicts. Callers lock the SPKs' rows first
/// (`SPKViewStore.lock`), so two judges of one SPK never interleave.
struct HealthAssessor {
    let rules: HealthRules
    let connection: PostgresConnection
    let logger: Logger

    /// Returns how many SPKs it judged. With `newStates` (SPKs' states from events, each written only
    /// if newer than the stored one) those SPKs are judged on their new state, and each one's state is
    /// written with its verdict: one write of its row.
    @discardableResult
    func assess(_ ids: [UUID], today: LocalDate, newStates: [SPK] = []) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let store = AssessmentStore(connection: connection, logger: logger)
        var subjects = try await store.subjects(ids)
        let position = Dictionary(subjects.indices.map { (subjects[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        for spk in newStates {
            guard let index = position[spk.id], subjects[index].version < spk.version else { continue }
            subjects[index].figures.status = spk.status
            subjects[index].figures.targetQty = spk.targetQty
            subjects[index].figures.producedQty = spk.producedQty
            subjects[index].figures.rejectQty = spk.rejectQty
            subjects[index].figures.startDate = spk.startDate
            subjects[index].figures.dueDate = spk.dueDate
            subjects[index].version = spk.version
            subjects[index].newState = (spk, PlanWindow(start: spk.startDate, due: spk.dueDate, calendar: rules.calendar))
        }
        // A next stage's WIP is its previous stage's new output.
        let changed = Dictionary(subjects.compactMap { $0.newState.map { ($0.spk.code, $0.spk) } }, uniquingKeysWith: { first, _ in first })
        if !changed.isEmpty {
            for index in subjects.indices {
                guard let code = subjects[index].figures.previousStage?.code, let previous = changed[code] else { continue }
                subjects[index].figures.previousStage?.producedQty = previous.producedQty
                subjects[index].figures.previousStage?.status = previous.status
            }
        }
        let verdicts = subjects.map { subject in
            (subject, rules.assess(subject.figures, today: today, previous: subject.previous))
        }
        // Large sweeps write in slices: arrays of a few thousand binds each.
        for start in stride(from: 0, to: verdicts.count, by: 5000) {
            try await store.save(Array(verdicts[start..<min(start + 5000, verdicts.count)]))
        }
        return verdicts.count
    }
}
