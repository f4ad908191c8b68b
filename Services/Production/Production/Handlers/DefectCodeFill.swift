import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Fills Production's copy of Quality's defect codes once in full, the first time Production runs: codes Quality
/// announced before Production's queue existed (its seeded codes) never reach it by events. Asks Quality, as the
/// service itself, until it answers; then the events keep the copy current. Any instance may do it; a repeat is
/// harmless (`keep` takes the newest version).
struct DefectCodeFill {
    let now: @Sendable () -> Date
    let defects: any DefectCodeRepository

    func run(client: PostgresClient, bus: any MessageBus, logger: Logger) async {
        var backoff = Backoff(base: .milliseconds(250), cap: .seconds(30))
        while !Task.isCancelled {
            do {
                if try await fill(client: client, bus: bus, logger: logger) { return }
            } catch {
                if backoff.attempts == 0 || backoff.attempts % 20 == 0 {
                    logger.warning("the copy of Quality's defect codes is not filled yet (attempt \(backoff.attempts + 1)): \(error)")
                }
            }
            guard await backoff.pause() else { return }
        }
    }

    /// True once the copy is filled (now or before).
    private func fill(client: PostgresClient, bus: any MessageBus, logger: Logger) async throws -> Bool {
        let filled = try await client.transaction(logger: logger) { connection in
            try await defects.isFilled(in: Self.context(connection, logger))
        }
        if filled { return true }
        var codes: [DefectCode] = []
        var page = 1
        while true {
            let query = ListDefectCodes(page: PageRequest(page: page, perPage: PageRequest.maxPerPage))
            let header = EnvelopeHeader(type: ListDefectCodes.messageType, actor: .system(ServiceName.production.rawValue))
            let answer = try await bus.send(Envelope(header: header, payload: query), timeout: .seconds(5))
            codes += answer.items
            guard answer.items.count == answer.perPage, codes.count < answer.total else { break }
            page += 1
        }
        let all = codes
        try await client.transaction(logger: logger) { connection in
            let context = Self.context(connection, logger)
            for code in all { try await defects.keep(code, in: context) }
            try await defects.markFilled(at: now(), in: context)
        }
        logger.info("filled the copy of Quality's defect codes (\(all.count))")
        return true
    }

    /// The fill's own transaction, as the context the repository works in.
    private static func context(_ connection: PostgresConnection, _ logger: Logger) -> MessageContext {
        .ops("fill-defect-codes", connection: connection, service: ServiceName.production.rawValue, logger: logger)
    }
}
