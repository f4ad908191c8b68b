import Contracts
import Foundation
import ServiceKit

/// Production's copy of Quality's defect codes (docs/architecture.md, rule 1): daily input's `defects` must name
/// an active code of the SPK's stage. Kept from Quality's events, filled once in full by `DefectCodeFill`; daily
/// input decides on it alone and never waits on Quality while it holds SPK rows locked.
protocol DefectCodeRepository: Sendable {
    /// Keeps `code` unless the copy holds a newer version of it.
    func keep(_ code: DefectCode, in context: MessageContext) async throws
    /// The active codes of `stage` among `codes`.
    func known(_ codes: [String], stage: Stage, in context: MessageContext) async throws -> Set<String>
    /// Whether the copy was ever filled in full.
    func isFilled(in context: MessageContext) async throws -> Bool
    func markFilled(at now: Date, in context: MessageContext) async throws
}

extension DefectCodeRepository {
    /// The active codes of `stage` among `codes`. A code the copy lacks before it was ever filled in full may be one
    /// Quality announced before this service listened: 503, to be retried once the fill has run.
    func resolve(_ codes: [String], stage: Stage, in context: MessageContext) async throws -> Set<String> {
        let found = try await known(codes, stage: stage, in: context)
        guard found.count < Set(codes).count, try await !isFilled(in: context) else { return found }
        throw ErrorReply(.unavailable, "Production has not yet received Quality's defect codes, so they cannot be checked; try again.")
    }
}
