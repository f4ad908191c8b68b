import Contracts
import Hummingbird

/// `/api/v1/ppic`: the planners' read model.
struct PPICController: Sendable {
    let services: ServiceCaller

    static let readers: [Role] = [.ppicManager, .ppicStaff, .manager, .admin]

    func register(on group: RouterGroup<GatewayContext>) {
        group.get("dashboard", use: dashboard)
    }

    func dashboard(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.readers)
        return try JSONResponses.data(try await services.send(GetDashboard(), actor, context))
    }
}
