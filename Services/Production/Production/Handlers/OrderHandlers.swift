import Contracts
import Foundation
import ServiceKit

/// Manufacturing orders: one SPK per stage of the route, created together.
struct OrderHandlers {
    let policy: ProductionPolicy
    let orders: any OrderRepository
    let spks: any SPKRepository
    let articles: ArticlePlanHandlers

    func create(_ command: CreateOrder, _ context: MessageContext) async throws -> ManufacturingOrder {
        let now = context.now
        let today = policy.today(at: now)
        var route = try OrderRules.validate(command, actor: context.actor, today: today)
        let articleCode = command.articleCode.trimmingCharacters(in: .whitespaces).uppercased()
        let (plan, bomNote) = try await articles.plan(for: articleCode, context)
        if command.stages == nil, let articleRoute = plan.route, !articleRoute.isEmpty { route = articleRoute }
        let actor = context.actor?.username ?? "unknown"
        var order = ManufacturingOrder(
            id: UUID(), code: try await orders.nextCode(on: today, in: context),
            articleCode: articleCode, qty: command.qty,
            startDate: command.startDate, dueDate: command.dueDate, stages: route, status: .planned, progress: 0, finishedQty: 0,
            notes: command.notes, createdBy: actor, createdAt: now, spks: [], bom: plan.bom, bomNote: bomNote)
        try await orders.insert(order, in: context)
        let windows = OrderRules.plannedWindows(stages: route.count, start: command.startDate, due: command.dueDate)
        for (index, stage) in route.enumerated() {
            let spk = SPK(
                id: UUID(), code: try await spks.nextCode(on: today, in: context), articleCode: order.articleCode, stage: stage,
                department: stage.department, originalQty: command.qty, targetQty: command.qty, producedQty: 0,
                rejectQty: 0, progress: 0, status: .notStarted, startDate: windows[index].start,
                dueDate: windows[index].due, notes: command.notes, createdBy: actor, createdAt: now, updatedAt: now,
                version: 1, orderId: order.id, orderCode: order.code, sequence: index + 1,
                availableWip: index == 0 ? nil : 0)
            try await spks.insert(spk, in: context)
            try await context.audit("spk", spk.id.uuidString, "create for \(order.code)", before: SPK?.none, after: spk)
            try await context.publish(SPKCreated(spk: spk))
            order.spks?.append(spk)
        }
        try await context.audit("order", order.id.uuidString, "create", before: ManufacturingOrder?.none, after: order)
        try await context.publish(OrderCreated(order: order))
        return order
    }

    func list(_ query: ListOrders, _ context: MessageContext) async throws -> Page<ManufacturingOrder> {
        try query.page.validate()
        return try await orders.list(query, in: context)
    }

    func get(_ query: GetOrder, _ context: MessageContext) async throws -> ManufacturingOrder {
        guard let order = try await orders.find(query.order, in: context) else {
            throw ErrorReply.notFound("Manufacturing order \(query.order)")
        }
        return order
    }

    /// A carton the warehouse confirmed counts towards its order's finished goods.
    func cartonConfirmed(_ event: CartonConfirmed, _ context: MessageContext) async throws {
        try await orders.recordWarehouseReceipt(event, in: context)
    }
}
