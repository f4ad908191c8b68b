import Contracts
import Foundation
import Hummingbird

/// Quantity changes, material debt and their approval, as the production screens call them.
struct ApprovalController: Sendable {
    let services: ServiceCaller

    struct ModificationBody: Decodable {
        var newQty: Int
        var reason: String
        enum CodingKeys: String, CodingKey { case newQty, reason }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            newQty = try container.decodeWholeNumber(forKey: .newQty)
            reason = try container.decode(String.self, forKey: .reason)
        }
    }

    struct DecisionBody: Decodable {
        var approved: Bool
        var notes: String?
    }

    /// A request as the screens show it: every field, plus `mod_id` (its code) and its age.
    struct RequestView: Encodable {
        var request: ApprovalRequest
        enum Keys: String, CodingKey { case modId, ageMinutes }
        func encode(to encoder: any Encoder) throws {
            try request.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(request.code, forKey: .modId)
            try container.encode(Int(Date().timeIntervalSince(request.requestedAt) / 60), forKey: .ageMinutes)
        }
    }

    func register(production group: RouterGroup<GatewayContext>, approvals: RouterGroup<GatewayContext>) {
        group.post("spk/:id/request-modification", use: requestModification)
        group.post("spk/:id/modify-qty", use: requestModification)
        group.post("material-debt/request", use: requestMaterialDebt)
        group.get("material-debt", use: materialDebts)
        group.get("material-debt/pending", use: pendingMaterialDebts)
        group.get("approvals/pending", use: pending)
        group.post("approvals/:id/approve", use: decide)
        group.post("approvals/:id/cancel", use: cancel)
        approvals.get(":id", use: get)
    }

    func requestModification(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require([.productionSupervisor, .productionManager, .ppicManager])
        let body = try await request.decodeJSON(ModificationBody.self)
        let command = RequestQuantityChange(spk: try context.parameters.require("id"), newQty: body.newQty, reason: body.reason)
        return try JSONResponses.data(RequestView(request: try await services.send(command, actor, context)), status: .created)
    }

    func requestMaterialDebt(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require([.productionSupervisor, .productionManager])
        let command = try await request.decodeJSON(RequestMaterialDebt.self)
        return try JSONResponses.data(RequestView(request: try await services.send(command, actor, context)), status: .created)
    }

    func materialDebts(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        return try list(try await services.send(ListMaterialDebts(status: try query.choice("status", ApprovalStatus.self),
                                                                  page: try query.page()), actor, context))
    }

    func pendingMaterialDebts(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try list(try await services.send(ListMaterialDebts(status: .pending, page: try QueryParameters(request).page()),
                                                actor, context))
    }

    func pending(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try list(try await services.send(ListPendingApprovals(page: try QueryParameters(request).page()), actor, context))
    }

    func get(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(RequestView(request: try await services.send(GetApproval(id: try context.parameters.require("id")),
                                                                                 actor, context)))
    }

    func decide(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(DecisionBody.self)
        let command = DecideApproval(id: try context.parameters.require("id"), approved: body.approved, notes: body.notes)
        return try JSONResponses.data(RequestView(request: try await services.send(command, actor, context)))
    }

    func cancel(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let command = CancelApproval(id: try context.parameters.require("id"))
        return try JSONResponses.data(RequestView(request: try await services.send(command, actor, context)))
    }

    private func list(_ page: Page<ApprovalRequest>) throws -> Response {
        try JSONResponses.list(page.items.map { RequestView(request: $0) }, of: page)
    }
}
