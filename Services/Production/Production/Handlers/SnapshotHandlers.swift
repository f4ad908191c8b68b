import Contracts
import Foundation
import ServiceKit

/// Everything Production knows, page by page in id order, for a reader rebuilding from scratch.
enum SnapshotHandlers {
    static func spks(_ query: ExportSPKs, _ context: MessageContext) async throws -> [SPK] {
        try checkLimit(query.limit, max: ExportSPKs.maxLimit)
        return try await SPKStore(connection: context.connection, logger: context.logger).export(after: query.after, limit: query.limit)
    }

    static func dailyInputs(_ query: ExportDailyInputs, _ context: MessageContext) async throws -> [RecordedEntry] {
        try checkLimit(query.limit, max: ExportDailyInputs.maxLimit)
        return try await SPKStore(connection: context.connection, logger: context.logger)
            .exportInputs(after: query.after, limit: query.limit)
    }

    private static func checkLimit(_ limit: Int, max: Int) throws(ErrorReply) {
        guard (1...max).contains(limit) else { throw .validation([FieldError(field: "limit", message: "must be between 1 and \(max)")]) }
    }
}
