import Contracts
import Hummingbird

/// `/api/v1/ppic`: the planners' read model.
struct PPICController: Sendable {
    struct DateQuery: Decodable, Sendable {
        /// Default: the factory's today.
        var date: LocalDate?
    }

    struct OnTrackQuery: Decodable, Sendable, PagedQuery {
        var stage: Stage?
        var health: SPKHealth?
        var page: Int?
        var perPage: Int?
    }

    struct AlertsQuery: Decodable, Sendable, BoundedInput {
        /// At most this many of each severity (default 100).
        var limit: Int?
        var request: GetAlerts { GetAlerts(limit: limit ?? GetAlerts.defaultLimit) }
        var inputProblems: [FieldError] { request.inputProblems }
    }

    struct OnTrackBody: Codable, Sendable {
        var onTrack: Int
        var atRisk: Int
        var offTrack: Int
        var details: [SPKHealthDetail]
    }

    func register(on routes: APIRoutes) {
        let readers = Access.roles(PPICPermissions.read)
        routes.add(
            .get, "dashboard", "SPK counts, delays, progress by stage, health counts and the 5 most urgent alerts", access: readers,
            reply: Dashboard.self
        ) { try await $0.send(GetDashboard()) }
        routes.add(
            .get, "reports/daily-summary",
            "A day's planned target against good output recorded for it, in all and per stage (date: default today)",
            access: readers, query: DateQuery.self, reply: DailySummary.self
        ) { try await $0.send(GetDailySummary(date: $0.query.date)) }
        routes.add(
            .get, "reports/on-track-status",
            "Unfinished SPKs by health (ON_TRACK, AT_RISK, OFF_TRACK), worst first, with counts over the filter",
            access: readers, query: OnTrackQuery.self, reply: Paged<OnTrackBody>.self
        ) { call in
            let status = try await call.send(GetOnTrackStatus(stage: call.query.stage, health: call.query.health, page: call.query.pageRequest))
            return Paged(
                data: OnTrackBody(
                    onTrack: status.onTrack, atRisk: status.atRisk, offTrack: status.offTrack,
                    details: status.details.items), meta: JSONResponses.Meta(status.details))
        }
        routes.add(
            .get, "reports/finished-goods",
            "Finished goods the warehouse confirmed on a day (default today), per order with the order's total so far",
            access: readers, query: DateQuery.self, reply: FinishedGoodsReport.self
        ) {
            try await $0.send(GetFinishedGoodsReport(date: $0.query.date))
        }
        routes.add(
            .get, "alerts", "Critical and warning alerts, most urgent first, at most limit (default 100) of each, with totals",
            access: readers, query: AlertsQuery.self, reply: AlertList.self
        ) { try await $0.send($0.query.request) }
    }
}
