import Contracts
import Foundation
import ServiceKit

/// The planners' queries. Each first checks the reader's role and makes sure every SPK has been judged
/// for the factory's today.
struct QueryHandlers {
    let settings: PPICSettings
    let sweep: DailySweep

    func register(in handlers: inout HandlerRegistry) {
        handlers.handle(GetDashboard.self) { _, context in try await reports(context).dashboard() }
        handlers.handle(GetOnTrackStatus.self) { query, context in try await reports(context).onTrackStatus(query) }
        handlers.handle(GetDailySummary.self) { query, context in
            let reports = try await reports(context)
            return try await reports.dailySummary(date: query.date ?? reports.today)
        }
        // `limit` and `page` were held to their bounds as the message was read (GetAlerts', GetOnTrackStatus' contracts).
        handlers.handle(GetFinishedGoodsReport.self) { query, context in
            let reports = try await reports(context)
            return try await reports.finishedGoods(date: query.date ?? reports.today)
        }
        handlers.handle(GetAlerts.self) { query, context in try await reports(context).alerts(limit: query.limit) }
    }

    /// Every query starts here: the reader's role is checked by PPIC itself, not only by the gateway.
    private func reports(_ context: MessageContext) async throws -> Reports {
        _ = try context.require(PPICPermissions.read, to: "Reading PPIC's reports")
        try await sweep.ensureCurrent(on: context.connection, logger: context.logger)
        return Reports(connection: context.connection, logger: context.logger, settings: settings, now: sweep.now())
    }
}
