import Contracts
import Foundation
import ServiceKit

/// Everything Production knows, page by page in id order, for a reader rebuilding from scratch.
/// (`limit` was held to its bounds as the message was read: ExportSPKs', ExportDailyInputs' contracts.)
enum SnapshotHandlers {
    static func spks(_ query: ExportSPKs, _ context: MessageContext) async throws -> [SPK] {
        try await SPKStore(connection: context.connection, logger: context.logger).export(after: query.after, limit: query.limit)
    }

    static func dailyInputs(_ query: ExportDailyInputs, _ context: MessageContext) async throws -> [RecordedEntry] {
        try await SPKStore(connection: context.connection, logger: context.logger)
            .exportInputs(after: query.after, limit: query.limit)
    }
}
