import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Production

/// What the floor asks — the shift running now and a phone's sync — on in-memory repositories.
@Suite struct FloorHandlerTests {
    let house = ProductionHarness()

    func sync(_ cursor: String? = nil, as actor: Actor = Actors.sewingStaff) async throws -> MobileSyncResult {
        try await house.floor.mobileSync(MobileSync(since: cursor), house.context(actor))
    }

    @Test func theShiftFollowsTheServicesClockInTheFactorysTimeZone() async throws {
        let day = try await house.floor.currentShift(GetCurrentShift(), house.context(Actors.sewingStaff))
        #expect(day.shift == .day && day.date.description == "2026-03-10" && day.timeZone == "Asia/Jakarta")
        #expect(day.startsAt == ProductionHarness.instant("2026-03-10", hour: 7) && day.endsAt == ProductionHarness.instant("2026-03-10", hour: 19))
        house.set("2026-03-11", hour: 3)  // the night shift that began on the 10th
        let night = try await house.floor.currentShift(GetCurrentShift(), house.context(Actors.sewingStaff))
        #expect(night.shift == .night && night.date.description == "2026-03-10")
        #expect(night.startsAt == ProductionHarness.instant("2026-03-10", hour: 19))
        #expect(night.endsAt == ProductionHarness.instant("2026-03-11", hour: 7))
    }

    @Test func aFirstSyncGetsTheDepartmentsOpenSPKsAndTheShift() async throws {
        try await house.knowArticle()
        let sewing = try await house.makeSPK(.sewing)
        _ = try await house.makeSPK(.cutting)
        let done = try await house.makeSPK(.sewing, qty: 5)
        try await house.produce(5, on: done)
        house.advance(seconds: 60)
        let first = try await sync()
        #expect(first.full && first.department == .sewing && first.spks.map(\.id) == [sewing.id] && !first.hasMore)
        #expect(first.currentShift.shift == .day && first.cursor.hasPrefix("SEWING:"))
    }

    @Test func laterSyncsGetWhatChangedAndWaitForChangesToSettle() async throws {
        try await house.knowArticle()
        let spk = try await house.makeSPK(.sewing)
        _ = try await house.makeSPK(.sewing)
        house.advance(seconds: 60)
        let first = try await sync()
        #expect(try await sync(first.cursor).spks.isEmpty)  // nothing changed since

        _ = try await house.lifecycle.changeStatus(
            ChangeSPKStatus(spk: spk.code, action: .hold, reason: "no thread"),
            house.context(Actors.sewingSupervisor))
        let fresh = try await sync(first.cursor)
        #expect(!fresh.full && fresh.spks.map(\.status) == [.onHold])
        #expect(fresh.cursor == first.cursor)  // the change may still be committing behind it: asked again next time
        house.advance(seconds: 60)
        let settled = try await sync(first.cursor)
        #expect(settled.spks.map(\.id) == [spk.id] && settled.cursor != first.cursor)
        #expect(try await sync(settled.cursor).spks.isEmpty)
    }

    @Test func aCursorOfAnotherDepartmentStartsAfresh() async throws {
        try await house.knowArticle()
        _ = try await house.makeSPK(.cutting)
        let sewing = try await house.makeSPK(.sewing)
        house.advance(seconds: 60)
        let cutting = try await sync(as: Actors.cuttingSupervisor)
        let handedOver = try await sync(cutting.cursor)
        #expect(handedOver.full && handedOver.spks.map(\.id) == [sewing.id])
        #expect(try await sync("garbage").full)
    }

    @Test func aPhoneNeedsAUserWithADepartment() async throws {
        #expect(await refusal { try await sync(as: Actors.planner) }?.code == .forbidden)
    }
}
