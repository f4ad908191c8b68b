import Contracts
import Hummingbird

/// `/api/v1/ppic`: the planners' read model.
struct PPICController: Sendable {
    let services: ServiceCaller

    func register(on group: RouterGroup<GatewayContext>) {
        group.get("dashboard", use: dashboard)
        group.get("reports/daily-summary", use: dailySummary)
        group.get("reports/on-track-status", use: onTrackStatus)
        group.get("reports/finished-goods", use: finishedGoods)
        group.get("alerts", use: alerts)
    }

    func dashboard(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(PPICPermissions.read)
        return try JSONResponses.data(try await services.send(GetDashboard(), actor, context))
    }

    /// `?date=` (default: the factory's today).
    func dailySummary(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(PPICPermissions.read)
        let date = try QueryParameters(request).date("date")
        return try JSONResponses.data(try await services.send(GetDailySummary(date: date), actor, context))
    }

    /// `?date=` (default: the factory's today): finished goods the warehouse confirmed, per order.
    func finishedGoods(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(PPICPermissions.read)
        let date = try QueryParameters(request).date("date")
        return try JSONResponses.data(try await services.send(GetFinishedGoodsReport(date: date), actor, context))
    }

    /// `?stage=&health=&page=&per_page=`: the counts and one page of details in `data`, the page in `meta`.
    func onTrackStatus(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(PPICPermissions.read)
        let parameters = QueryParameters(request)
        let query = GetOnTrackStatus(stage: try parameters.choice("stage", Stage.self), health: try parameters.choice("health", SPKHealth.self),
                                     page: try parameters.page())
        let status = try await services.send(query, actor, context)
        return try JSONResponses.data(OnTrackBody(onTrack: status.onTrack, atRisk: status.atRisk, offTrack: status.offTrack,
                                                  details: status.details.items), meta: status.details)
    }

    /// `?limit=` (default 100) of each severity.
    func alerts(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(PPICPermissions.read)
        let limit = try QueryParameters(request).int("limit") ?? GetAlerts.defaultLimit  // bounded by GetAlerts' contract
        return try JSONResponses.data(try await services.send(GetAlerts(limit: limit), actor, context))
    }

    struct OnTrackBody: Encodable {
        var onTrack: Int
        var atRisk: Int
        var offTrack: Int
        var details: [SPKHealthDetail]
    }
}
