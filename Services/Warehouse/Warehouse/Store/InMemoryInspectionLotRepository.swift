import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Final-inspection lots in memory, for handler tests: the same rules of `keep` as the SQL upserts.
final class InMemoryInspectionLotRepository: InspectionLotRepository {
    private struct State {
        var lots: [String: String] = [:]
        var cartons: [UUID: String] = [:]
    }

    private let state = Mutex(State())

    init() {}

    func keep(_ inspection: Inspection, in context: MessageContext) async throws {
        state.withLock { state in
            if state.lots[inspection.code] == nil || state.lots[inspection.code] == InspectionStatus.open.rawValue {
                state.lots[inspection.code] = inspection.status.rawValue
            }
            for member in inspection.cartons {
                guard let current = state.cartons[member.cartonId] else {
                    state.cartons[member.cartonId] = inspection.code
                    continue
                }
                if current != inspection.code, state.lots[current] == InspectionStatus.failed.rawValue {
                    state.cartons[member.cartonId] = inspection.code
                }
            }
        }
    }

    func lot(of carton: UUID, in context: MessageContext) async throws -> (code: String, status: String)? {
        state.withLock { state in
            guard let code = state.cartons[carton], let status = state.lots[code] else { return nil }
            return (code, status)
        }
    }

    func status(of lot: String, in context: MessageContext) async throws -> String? {
        state.withLock { $0.lots[lot] }
    }

    func cartons(of lot: String, in context: MessageContext) async throws -> [UUID] {
        state.withLock { $0.cartons.filter { $0.value == lot }.keys.sorted { $0.uuidString < $1.uuidString } }
    }

    func grantConcession(_ lot: String, in context: MessageContext) async throws {
        state.withLock { state in
            if state.lots[lot] != nil { state.lots[lot] = QualityGate.concession }
        }
    }
}
