import Contracts
import Foundation
import ServiceKit

/// Manufacturing orders: one SPK per stage of the route, created together.
struct OrderHandlers {
    let policy: ProductionPolicy

    func create(_ command: CreateOrder, _ context: MessageContext) async throws -> ManufacturingOrder {
        var route = try OrderRules.validate(command, actor: context.actor, today: policy.today)
        let articleCode = command.articleCode.trimmingCharacters(in: .whitespaces).uppercased()
        let (plan, bomNote) = try await ArticlePlanHandlers.plan(for: articleCode, context)
        if command.stages == nil, let articleRoute = plan.route, !articleRoute.isEmpty { route = articleRoute }
        let orders = OrderStore(connection: context.connection, logger: context.logger)
        let spks = SPKStore(connection: context.connection, logger: context.logger)
        let today = policy.today
        let now = policy.now()
        let actor = context.actor?.username ?? "unknown"
        var order = ManufacturingOrder(
            id: UUID(), code: try await orders.nextCode(on: today),
            articleCode: articleCode, qty: command.qty,
            startDate: command.startDate, dueDate: command.dueDate, stages: route, status: .planned, progress: 0, finishedQty: 0,
            notes: command.notes, createdBy: actor, createdAt: now, spks: [], bom: plan.bom, bomNote: bomNote)
        try await orders.insert(order)
        let windows = OrderRules.plannedWindows(stages: route.count, start: command.startDate, due: command.dueDate)
        for (index, stage) in route.enumerated() {
            let spk = SPK(id: UUID(), code: try await spks.nextCode(on: today), articleCode: order.articleCode, stage: stage,
                          department: stage.department, originalQty: command.qty, targetQty: command.qty, producedQty: 0,
                          rejectQty: 0, progress: 0, status: .notStarted, startDate: windows[index].start,
                          dueDate: windows[index].due, notes: command.notes, createdBy: actor, createdAt: now, updatedAt: now,
                          version: 1, orderId: order.id, orderCode: order.code, sequence: index + 1,
                          availableWip: index == 0 ? nil : 0)
            try await spks.insert(spk)
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
        return try await OrderStore(connection: context.connection, logger: context.logger).list(query)
    }

    func get(_ query: GetOrder, _ context: MessageContext) async throws -> ManufacturingOrder {
        guard let order = try await OrderStore(connection: context.connection, logger: context.logger).find(query.order) else {
            throw ErrorReply.notFound("Manufacturing order \(query.order)")
        }
        return order
    }
}
