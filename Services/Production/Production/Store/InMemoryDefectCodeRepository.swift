import Contracts
import Foundation
import ServiceKit
import Synchronization

/// The copy of Quality's defect codes in memory, for running handlers without a database: the newest version of
/// each code wins, as in `PostgresDefectCodeRepository`.
final class InMemoryDefectCodeRepository: DefectCodeRepository {
    private struct State {
        var codes: [String: DefectCode] = [:]
        var filled = false
    }

    private let state = Mutex(State())

    init() {}

    func keep(_ code: DefectCode, in context: MessageContext) async throws {
        state.withLock { state in
            if (state.codes[code.code]?.version ?? .min) < code.version { state.codes[code.code] = code }
        }
    }

    func known(_ codes: [String], stage: Stage, in context: MessageContext) async throws -> Set<String> {
        state.withLock { state in Set(codes.filter { state.codes[$0].map { $0.stage == stage && $0.active } ?? false }) }
    }

    func isFilled(in context: MessageContext) async throws -> Bool { state.withLock { $0.filled } }

    func markFilled(at now: Date, in context: MessageContext) async throws { state.withLock { $0.filled = true } }
}
