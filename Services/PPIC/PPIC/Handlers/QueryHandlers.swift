import Contracts
import Foundation
import ServiceKit

/// The planners' queries. Each first makes sure every SPK has been judged for the factory's today.
struct QueryHandlers {
    let settings: PPICSettings
    let sweep: DailySweep

    func register(in handlers: inout HandlerRegistry) {
        handlers.handle(GetDashboard.self) { _, context in try await reports(context).dashboard() }
        handlers.handle(GetOnTrackStatus.self) { query, context in
            try query.page.validate()
            return try await reports(context).onTrackStatus(query)
        }
        handlers.handle(GetDailySummary.self) { query, context in
            let reports = try await reports(context)
            return try await reports.dailySummary(date: query.date ?? reports.today)
        }
        handlers.handle(GetAlerts.self) { query, context in
            guard (1...GetAlerts.maxLimit).contains(query.limit) else {
                throw ErrorReply.validation([FieldError(field: "limit", message: "must be between 1 and \(GetAlerts.maxLimit)")])
            }
            return try await reports(context).alerts(limit: query.limit)
        }
    }

    private func reports(_ context: MessageContext) async throws -> Reports {
        try await sweep.ensureCurrent(on: context.connection, logger: context.logger)
        return Reports(connection: context.connection, logger: context.logger, settings: settings, now: sweep.now())
    }
}
