import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// A standard cost set ahead of its date (`effective_from` after the day it was recorded) takes effect
/// by the calendar, not by a command: on that day this loop announces it as
/// `bomfinance.material.cost-changed.v1` with the material as it is now — BOMFinance re-costs the
/// articles above it from that event, Warehouse takes the new unit cost. The state row's lock makes one
/// instance do it while the others wait and then find it done.
struct CostCalendar {
    let settings: BOMFinanceSettings
    var interval: Duration = .seconds(60)

    /// Announces the costs that took effect after the last day done, through `today`. Returns how many.
    @discardableResult
    func announceDue(on connection: PostgresConnection, today: LocalDate, logger: Logger) async throws -> Int {
        var done: String?
        for try await day in try await connection.query(
            "SELECT applied_through::text FROM cost_calendar WHERE id = 1 FOR UPDATE", logger: logger
        ).decode(String?.self) {
            done = day
        }
        if done == today.description { return 0 }
        let since = done ?? "-infinity"
        let rows = try await connection.query(
            """
            SELECT material_code, effective_from::text, reason FROM material_costs
            WHERE effective_from > (recorded_at AT TIME ZONE \(settings.timeZone.identifier))::date
              AND effective_from > \(since)::date AND effective_from <= \(today.description)::date
            ORDER BY effective_from, material_code
            """, logger: logger)
        var due: [(code: String, from: LocalDate, reason: String?)] = []
        for try await (code, from, reason) in rows.decode((String, String, String?).self) {
            if let day = LocalDate(from) { due.append((code, day, reason)) }
        }
        let store = ItemStore(connection: connection, logger: logger)
        for entry in due {
            let history = try await store.costHistory(entry.code)
            let previous = EffectiveCost.at(entry.from.adding(days: -1), in: history)
            var material = try await store.requireMaterial(entry.code, today: today, lock: true)
            material.version += 1
            material.updatedAt = settings.now()
            try await store.update(material)
            let event = MaterialCostChanged(
                material: material, previousCost: previous?.cost, effectiveFrom: entry.from,
                reason: entry.reason.map { "effective from \(entry.from): \($0)" } ?? "effective from \(entry.from)")
            try await Outbox.enqueue(
                [try .event(Envelope(event, actor: .system(ServiceName.bomfinance.rawValue)))],
                on: connection, logger: logger)
        }
        try await connection.query(
            """
            INSERT INTO cost_calendar (id, applied_through) VALUES (1, \(today.description)::date)
            ON CONFLICT (id) DO UPDATE SET applied_through = EXCLUDED.applied_through
            """, logger: logger)
        if !due.isEmpty { logger.info("\(due.count) standard cost(s) took effect by \(today)") }
        return due.count
    }

    /// Checks every `interval` until cancelled.
    func run(client: PostgresClient, logger: Logger, monitor: LoopMonitor) async {
        await PeriodicLoop("bomfinance-cost-calendar", every: interval).run(monitor: monitor, logger: logger) {
            try await client.transaction(logger: logger) { connection in
                _ = try await announceDue(on: connection, today: settings.today, logger: logger)
            }
        }
    }
}
