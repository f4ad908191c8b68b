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

    /// Returns how many SPKs it judged.
    @discardableResult
    func assess(_ ids: [UUID], today: LocalDate) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let store = AssessmentStore(connection: connection, logger: logger)
        let verdicts = try await store.subjects(ids).map { subject in
            (subject, rules.assess(subject.figures, today: today, previous: subject.previous))
        }
        // Large sweeps write in slices: arrays of a few thousand binds each.
        for start in stride(from: 0, to: verdicts.count, by: 5000) {
            try await store.save(Array(verdicts[start..<min(start + 5000, verdicts.count)]))
        }
        return verdicts.count
    }
}
