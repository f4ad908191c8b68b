import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Manufacturing orders in memory, for running handlers without a database, read as `PostgresOrderRepository`
/// reads them: status, progress and finished figures derived from their SPKs (in `spks`) and confirmed cartons.
final class InMemoryOrderRepository: OrderRepository {
    private struct State {
        var orders: [UUID: ManufacturingOrder] = [:]
        /// Confirmed cartons: their order's code and quantity, once per carton.
        var receipts: [UUID: (order: String?, qty: Int)] = [:]
    }

    private let state = Mutex(State())
    private let codes = InMemoryDayCounter()
    private let spks: InMemorySPKRepository

    init(spks: InMemorySPKRepository) {
        self.spks = spks
    }

    func nextCode(on day: LocalDate, in context: MessageContext) async throws -> String {
        OrderRules.code(day: day, sequence: codes.next(on: day))
    }

    func insert(_ order: ManufacturingOrder, in context: MessageContext) async throws {
        try state.withLock { state in
            if let clash = state.orders.values.first(where: { $0.id == order.id || $0.code == order.code }) {
                throw ErrorReply(.conflict, "It already exists (order \(clash.code)).")
            }
            var stored = order
            stored.spks = nil
            state.orders[order.id] = stored
        }
        spks.orderStarts(order.id, on: order.startDate)
    }

    func find(_ reference: String, in context: MessageContext) async throws -> ManufacturingOrder? {
        let id = UUID(uuidString: reference)
        let code = RecordReference.code(reference)
        guard var order = summaries().first(where: { order in id.map { order.id == $0 } ?? (order.code == code) }) else { return nil }
        order.spks = spks.spks(ofOrder: order.id)
        return order
    }

    func list(_ query: ListOrders, in context: MessageContext) async throws -> Page<ManufacturingOrder> {
        let article = query.articleCode?.trimmingCharacters(in: .whitespaces).uppercased()
        let matching = summaries().filter { order in
            (query.status.map { order.status == $0 } ?? true) && (article.map { order.articleCode == $0 } ?? true)
        }.sorted { ($0.createdAt, $0.code) > ($1.createdAt, $1.code) }
        return Page(
            items: Array(matching.dropFirst(query.page.offset).prefix(query.page.perPage)), page: query.page.page,
            perPage: query.page.perPage, total: matching.count)
    }

    func recordWarehouseReceipt(_ event: CartonConfirmed, in context: MessageContext) async throws {
        state.withLock { state in
            if state.receipts[event.cartonId] == nil { state.receipts[event.cartonId] = (event.orderCode, event.qty) }
        }
    }

    /// Every order with at least one SPK, its figures derived as `PostgresOrderRepository.summary` derives them.
    private func summaries() -> [ManufacturingOrder] {
        let (orders, receipts) = state.withLock { (Array($0.orders.values), Array($0.receipts.values)) }
        return orders.compactMap { stored in
            let stages = spks.spks(ofOrder: stored.id)
            guard !stages.isEmpty else { return nil }
            let last = stages.filter { $0.sequence == stored.stages.count }
            var order = stored
            order.status =
                if stages.allSatisfy({ $0.status == .cancelled }) {
                    .cancelled
                } else if last.contains(where: { [.completed, .closed].contains($0.status) }) {
                    .completed
                } else if stages.contains(where: { $0.producedQty > 0 || $0.rejectQty > 0 }) {
                    .inProgress
                } else {
                    .planned
                }
            order.finishedQty = last.map(\.producedQty).max() ?? 0
            order.progress = progressPercent(produced: order.finishedQty, target: order.qty)
            order.finishedInWarehouse = receipts.filter { $0.order == order.code }.reduce(0) { $0 + $1.qty }
            return order
        }
    }
}
