import Contracts
import Foundation
import ServiceKit

/// Everything Production knows, page by page in id order, for a reader rebuilding from scratch.
/// (`limit` was held to its bounds as the message was read: ExportSPKs', ExportDailyInputs' contracts.)
struct SnapshotHandlers {
    let spks: any SPKRepository
    let inputs: any DailyInputRepository

    func exportSPKs(_ query: ExportSPKs, _ context: MessageContext) async throws -> [SPK] {
        try await spks.export(after: query.after, limit: query.limit, in: context)
    }

    func exportDailyInputs(_ query: ExportDailyInputs, _ context: MessageContext) async throws -> [RecordedEntry] {
        try await inputs.exportInputs(after: query.after, limit: query.limit, in: context)
    }
}
