import Contracts
import Foundation
import ServiceKit
import Synchronization

/// SPKs in memory, for running handlers without a database: what `PostgresSPKRepository` does that a handler
/// relies on — codes per day, unique codes and stages, filters, order, paging, the figures derived on reading
/// (progress, WIP from the previous stage) and change numbers. No transactions and no locks: a unit test runs
/// one message at a time, and what a handler wrote before it refused stays written.
final class InMemorySPKRepository: SPKRepository {
    private struct State {
        var rows: [UUID: (spk: SPK, change: Int64)] = [:]
        var lastChange: Int64 = 0
        var targetChanges: [(spk: UUID, change: TargetChange)] = []
        /// Orders' start dates, as `InMemoryOrderRepository` made them.
        var orderStarts: [UUID: LocalDate] = [:]

        func row(_ reference: String) -> SPK? {
            if let id = UUID(uuidString: reference) { return rows[id]?.spk }
            let code = RecordReference.code(reference)
            return rows.values.first { $0.spk.code == code }?.spk
        }

        func stage(_ sequence: Int, of order: UUID) -> SPK? {
            rows.values.first { $0.spk.orderId == order && $0.spk.sequence == sequence }?.spk
        }

        /// The SPK as read from the table: progress from its figures, WIP from its order's previous stage.
        func read(_ stored: SPK) -> SPK {
            var spk = stored
            spk.progress = progressPercent(produced: spk.producedQty, target: spk.targetQty)
            spk.availableWip = spk.orderId.flatMap { order in spk.sequence.flatMap { stage($0 - 1, of: order) } }
                .map { max(0, $0.producedQty - spk.producedQty) }
            return spk
        }

        mutating func change(_ id: UUID, _ apply: (inout SPK) -> Void) {
            guard var row = rows[id] else { return }
            apply(&row.spk)
            lastChange += 1
            row.change = lastChange
            rows[id] = row
        }
    }

    private let state = Mutex(State())
    private let codes = InMemoryDayCounter()

    init() {}

    func nextCode(on day: LocalDate, in context: MessageContext) async throws -> String {
        SPKRules.code(day: day, sequence: codes.next(on: day))
    }

    func insert(_ spk: SPK, in context: MessageContext) async throws {
        try state.withLock { state in
            let clash = state.rows.values.first { row in
                row.spk.id == spk.id || row.spk.code == spk.code
                    || (spk.orderId != nil && row.spk.orderId == spk.orderId && row.spk.sequence == spk.sequence)
            }
            if let clash { throw ErrorReply(.conflict, "It already exists (SPK \(clash.spk.code)).") }
            state.lastChange += 1
            state.rows[spk.id] = (spk, state.lastChange)
        }
    }

    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> SPK? {
        state.withLock { state in state.row(reference).map { state.read($0) } }
    }

    func requireWithNeighbours(_ reference: String, withNext: Bool, in context: MessageContext) async throws -> SPKNeighbourhood {
        let found = state.withLock { state -> SPKNeighbourhood? in
            guard let spk = state.row(reference).map({ state.read($0) }) else { return nil }
            guard let order = spk.orderId, let sequence = spk.sequence else { return SPKNeighbourhood(spk: spk) }
            return SPKNeighbourhood(
                previous: state.stage(sequence - 1, of: order).map { state.read($0) }, spk: spk,
                next: withNext ? state.stage(sequence + 1, of: order).map { state.read($0) } : nil,
                orderStart: state.orderStarts[order])
        }
        guard let found else { throw ErrorReply.notFound("SPK \(reference)") }
        return found
    }

    func lockAll(_ references: [String], in context: MessageContext) async throws -> LockedStages {
        state.withLock { state in
            var locked = LockedStages()
            for spk in references.compactMap({ state.row($0).map { state.read($0) } }) {
                let previous = spk.orderId.flatMap { order in spk.sequence.flatMap { state.stage($0 - 1, of: order) } }
                for stage in [spk] + (previous.map { [state.read($0)] } ?? []) {
                    locked.byId[stage.id] = stage
                    locked.idOfCode[stage.code] = stage.id
                }
                if let order = spk.orderId { locked.orderStart[order] = state.orderStarts[order] }
            }
            return locked
        }
    }

    func list(_ query: ListSPKs, in context: MessageContext) async throws -> Page<SPK> {
        let matching = all { spk in
            guard query.status.map({ spk.status == $0 }) ?? true, query.stage.map({ spk.stage == $0 }) ?? true,
                query.department.map({ spk.department == $0 }) ?? true, query.dueBefore.map({ spk.dueDate < $0 }) ?? true,
                query.dueAfter.map({ spk.dueDate > $0 }) ?? true
            else { return false }
            guard let order = query.order else { return true }
            return UUID(uuidString: order).map { spk.orderId == $0 } ?? (spk.orderCode == order.uppercased())
        }.sorted(by: Self.byDueDate)
        return Page(
            items: Array(matching.dropFirst(query.page.offset).prefix(query.page.perPage)), page: query.page.page,
            perPage: query.page.perPage, total: matching.count)
    }

    func open(department: Department, in context: MessageContext) async throws -> [SPK] {
        all { $0.department == department && [.notStarted, .inProgress].contains($0.status) }.sorted(by: Self.byDueDate)
    }

    func updateStatus(_ spk: SPK, in context: MessageContext) async throws {
        state.withLock { state in
            state.change(spk.id) {
                $0.status = spk.status
                $0.updatedAt = spk.updatedAt
                $0.version = spk.version
            }
        }
    }

    func updateTarget(_ spk: SPK, in context: MessageContext) async throws {
        state.withLock { state in
            state.change(spk.id) {
                $0.targetQty = spk.targetQty
                $0.status = spk.status
                $0.updatedAt = spk.updatedAt
                $0.version = spk.version
            }
        }
    }

    func updateProgress(_ spk: SPK, in context: MessageContext) async throws {
        state.withLock { state in
            state.change(spk.id) {
                $0.producedQty = spk.producedQty
                $0.rejectQty = spk.rejectQty
                $0.status = spk.status
                $0.updatedAt = spk.updatedAt
                $0.version = spk.version
            }
        }
    }

    func targetChanges(of spk: UUID, in context: MessageContext) async throws -> [TargetChange] {
        state.withLock { $0.targetChanges.filter { $0.spk == spk }.map(\.change) }.sorted { $0.changedAt < $1.changedAt }
    }

    func recordTargetChange(_ change: TargetChange, spk: UUID, in context: MessageContext) async throws -> Bool {
        state.withLock { state in
            guard !state.targetChanges.contains(where: { $0.change.approvalId == change.approvalId }) else { return false }
            state.targetChanges.append((spk, change))
            return true
        }
    }

    func changes(department: Department, after sequence: Int64, limit: Int, in context: MessageContext) async throws
        -> [(spk: SPK, sequence: Int64)]
    {
        state.withLock { state in
            state.rows.values.filter { $0.spk.department == department && $0.change > sequence }.sorted { $0.change < $1.change }
                .prefix(limit).map { (state.read($0.spk), $0.change) }
        }
    }

    func settledCursor(department: Department, settledBefore: Date, in context: MessageContext) async throws -> Int64 {
        state.withLock { state in
            let rows = state.rows.values.filter { $0.spk.department == department }
            if let unsettled = rows.filter({ $0.spk.updatedAt >= settledBefore }).map(\.change).min() { return unsettled - 1 }
            return rows.map(\.change).max() ?? 0
        }
    }

    func export(after id: UUID?, limit: Int, in context: MessageContext) async throws -> [SPK] {
        Array(all { spk in id.map { IdOrder.precedes($0, spk.id) } ?? true }.sorted { IdOrder.precedes($0.id, $1.id) }.prefix(limit))
    }

    /// The SPKs of an order in route order, as `InMemoryOrderRepository` reads them.
    func spks(ofOrder order: UUID) -> [SPK] {
        all { $0.orderId == order }.sorted { ($0.sequence ?? 0) < ($1.sequence ?? 0) }
    }

    /// Where `order` starts (its stages take input from then), as `InMemoryOrderRepository` made it.
    func orderStarts(_ order: UUID, on day: LocalDate) {
        state.withLock { $0.orderStarts[order] = day }
    }

    /// Every SPK that passes `filter`, as read.
    private func all(_ filter: (SPK) -> Bool) -> [SPK] {
        state.withLock { state in state.rows.values.map { state.read($0.spk) }.filter(filter) }
    }

    private static func byDueDate(_ a: SPK, _ b: SPK) -> Bool { (a.dueDate, a.code) < (b.dueDate, b.code) }
}

/// PostgreSQL's order of uuids (their bytes), which exports page by.
enum IdOrder {
    static func precedes(_ a: UUID, _ b: UUID) -> Bool { a.uuidString < b.uuidString }
}
