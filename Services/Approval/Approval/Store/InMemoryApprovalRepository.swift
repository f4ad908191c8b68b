import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Approval requests in memory, for handler tests: the same look-ups, order, paging and refusals as
/// `PostgresApprovalRepository` (locks are moot in one process; the database tests prove those).
final class InMemoryApprovalRepository: ApprovalRepository {
    private struct State {
        var chains: [ApprovalKind: [ChainLevel]]
        var requests: [UUID: ApprovalRequest] = [:]
        var counters: [String: Int] = [:]
    }

    /// The chains migration 001 seeds.
    static let seededChains: [ApprovalKind: [ChainLevel]] = [
        .quantityChange: [ChainLevel(role: "PRODUCTION_MANAGER"), ChainLevel(role: "MANAGER", condition: "change_percent > 10")],
        .materialDebt: [ChainLevel(role: "PRODUCTION_MANAGER"), ChainLevel(role: "WAREHOUSE_MANAGER")],
    ]

    private let state: Mutex<State>

    init(chains: [ApprovalKind: [ChainLevel]] = seededChains) {
        state = Mutex(State(chains: chains))
    }

    /// Every request kept, for a test to look at.
    var all: [ApprovalRequest] { state.withLock { Array($0.requests.values) } }

    func chain(_ kind: ApprovalKind, in context: MessageContext) async throws -> [ChainLevel] {
        state.withLock { $0.chains[kind] ?? [] }
    }

    func nextCode(prefix: String, day: LocalDate, in context: MessageContext) async throws -> String {
        let sequence = state.withLock { state in
            state.counters["\(prefix) \(day)", default: 0] += 1
            return state.counters["\(prefix) \(day)"]!
        }
        return DayCounter.code(prefix: prefix, day: day, sequence: sequence)
    }

    func insert(_ request: ApprovalRequest, in context: MessageContext) async throws {
        try state.withLock { state throws(ErrorReply) in
            // The unique keys of `approval_requests`: id, code, one pending quantity change per SPK.
            let clash = state.requests.values.contains { kept in
                kept.id == request.id || kept.code == request.code
                    || (request.isOpenQuantityChange && kept.isOpenQuantityChange && kept.spkId == request.spkId)
            }
            if clash { throw .openQuantityChange(request.spkCode) }
            state.requests[request.id] = request
        }
    }

    func update(_ request: ApprovalRequest, in context: MessageContext) async throws {
        state.withLock { state in
            if state.requests[request.id] != nil { state.requests[request.id] = request }
        }
    }

    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> ApprovalRequest? {
        all.first { RecordReference.names(reference, id: $0.id, code: $0.code) }
    }

    func pending(for roles: [String], excluding user: String, page: PageRequest, in context: MessageContext) async throws
        -> Page<ApprovalRequest>
    {
        let waiting = all.filter { request in
            request.waitingRole.map(roles.contains) == true && request.requestedById != user
        }
        return Page(slicing: waiting.sorted { ($0.requestedAt, $0.code) < ($1.requestedAt, $1.code) }, page)
    }

    func list(kind: ApprovalKind, status: ApprovalStatus?, page: PageRequest, in context: MessageContext) async throws
        -> Page<ApprovalRequest>
    {
        let matching = all.filter { $0.kind == kind && (status == nil || $0.status == status) }
        return Page(slicing: matching.sorted { $0.requestedAt != $1.requestedAt ? $0.requestedAt > $1.requestedAt : $0.code < $1.code }, page)
    }

    func hasOpenQuantityChange(spk: UUID, in context: MessageContext) async throws -> Bool {
        all.contains { $0.spkId == spk && $0.isOpenQuantityChange }
    }
}

extension ApprovalRequest {
    fileprivate var isOpenQuantityChange: Bool { status == .pending && kind == .quantityChange }
}
