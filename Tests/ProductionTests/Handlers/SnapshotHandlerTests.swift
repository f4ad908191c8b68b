import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// Everything Production knows, page by page in id order, for a reader rebuilding: on in-memory repositories.
@Suite struct SnapshotHandlerTests {
    let house = ProductionHarness()

    @Test func spksComePageByPageInIdOrder() async throws {
        try await house.knowArticle()
        var made: [SPK] = []
        for stage in [Stage.cutting, .sewing, .packing] { made.append(try await house.makeSPK(stage)) }
        let ids = made.map(\.id).sorted { $0.uuidString < $1.uuidString }
        let context = house.context(.system("ppic"))
        let first = try await house.snapshots.exportSPKs(ExportSPKs(limit: 2), context)
        #expect(first.map(\.id) == Array(ids.prefix(2)))
        let rest = try await house.snapshots.exportSPKs(ExportSPKs(after: first.last?.id, limit: 2), context)
        #expect(rest.map(\.id) == [ids[2]] && rest.first == made.first { $0.id == ids[2] })
        #expect(try await house.snapshots.exportSPKs(ExportSPKs(after: ids[2], limit: 2), context).isEmpty)
    }

    @Test func dailyInputsIncludeReversalsInIdOrder() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK()
        let kept = try await house.produce(10, on: spk, date: "2026-03-08")
        let wrong = try await house.produce(4, on: spk, date: "2026-03-09")
        let void = try await house.lifecycle.voidEntry(VoidDailyInput(entryId: wrong.uuidString, reason: "twice"), house.context(Actors.manager))
        let context = house.context(.system("ppic"))
        let all = try await house.snapshots.exportDailyInputs(ExportDailyInputs(), context)
        #expect(all.map(\.id) == [kept, wrong, void.reversalId].sorted { $0.uuidString < $1.uuidString })
        #expect(
            all.first { $0.id == void.reversalId }
                == RecordedEntry(
                    id: void.reversalId, spkId: spk.id, date: LocalDate("2026-03-09")!,
                    qty: -4, rejectQty: 0))
        let page = try await house.snapshots.exportDailyInputs(ExportDailyInputs(after: all[0].id, limit: 1), context)
        #expect(page.map(\.id) == [all[1].id])
    }
}
