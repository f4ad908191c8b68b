import Contracts
import Foundation
import Messaging
import ServiceKit
import Testing

@testable import Warehouse

extension WarehouseFixture {
    /// Final-inspection lot `code` of `cartons`, in `status`.
    func lot(_ code: String, _ cartons: [Carton], _ status: InspectionStatus) -> Inspection {
        let plan = SamplingPlan(aql: 2.5, codeLetter: "C", planLetter: "C", sampleSize: 5, accept: 0, reject: 1)
        return Inspection(
            id: UUID(), code: code, orderCode: "MO-20260301-0001", articleCode: "BEAR-01", lotSize: cartons.reduce(0) { $0 + $1.qty },
            sampleSize: 5, major: plan, minor: plan,
            cartons: cartons.map { InspectedCarton(cartonId: $0.id, sscc: $0.sscc, qty: $0.qty, open: false) }, status: status,
            ncrCode: status == .failed ? "NCR-\(code)" : nil, createdBy: "qc", createdAt: Self.now)
    }

    /// An NCR decided `decision`, about inspection `inspection` or, by hand, about `qty` of `material` at `location`.
    func ncr(
        _ decision: NCRDecision, inspection: String? = nil, material: String? = nil, location: String? = nil, qty: Int = 0,
        decidedAt: Date = WarehouseFixture.now
    ) -> NCRDecided {
        NCRDecided(
            ncr: NCR(
                id: UUID(), code: "NCR-0001", status: .decided, title: "t", articleCode: nil, orderCode: nil, inspectionCode: inspection,
                stage: nil, qty: qty, notes: nil, decision: decision, decidedBy: "head", decidedAt: decidedAt, openedBy: "qc",
                openedAt: Self.now, escalateAt: Self.now, materialCode: material, location: location))
    }

    /// Incoming inspection `code` of the receipt `movement`, in `status`.
    func incoming(_ code: String, of movement: Movement, _ status: InspectionStatus) -> IncomingInspection {
        IncomingInspection(
            id: UUID(), code: code, movementId: movement.id, materialCode: movement.itemCode, category: .fabric, qty: movement.qty,
            releaseTo: "RM-A", reference: nil, status: status, openedAt: Self.now)
    }
}

/// Quality's final inspection gating finished goods, incoming inspection holding receipts, and NCR decisions
/// applied to stock, on in-memory repositories.
@Suite struct QualityGateHandlerTests {
    @Test func aCartonOfAnOpenLotWaitsAndOfAPassedLotEnters() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        try await f.scan(.receive, carton)
        try await f.scan(.verify, carton, article: "BEAR-01")
        try await f.handlers.gate.opened(InspectionOpened(inspection: f.lot("FI-1", [carton], .open)), f.context(nil))
        let waiting = await #expect(throws: ErrorReply.self) { try await f.scan(.confirm, carton) }
        #expect(waiting?.code == .conflict && waiting?.message.contains("FI-1, which is OPEN") == true)
        try await f.handlers.gate.passed(InspectionPassed(inspection: f.lot("FI-1", [carton], .passed)), f.context(nil))
        try await f.handlers.gate.opened(InspectionOpened(inspection: f.lot("FI-1", [carton], .open)), f.context(nil))  // late: ignored
        #expect(try await f.scan(.confirm, carton).status == .confirmed)
    }

    @Test func aFailedLotsCartonsGoToQuarantineAndAReinspectionReleasesThem() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        try await f.scan(.receive, carton)
        let failed = RecordedEffects()
        try await f.handlers.gate.failed(InspectionFailed(inspection: f.lot("FI-1", [carton], .failed)), f.context(nil, failed))
        let held = try await f.handlers.cartons.get(GetCarton(carton: carton.sscc), f.context(f.staff))
        #expect(held.status == .quarantined && held.discrepancy == "failed final inspection FI-1 (NCR-FI-1)")
        #expect(try await f.balance("BEAR-01", at: "QUARANTINE") == 24)
        #expect(failed.events(CartonQuarantined.self).count == 1 && failed.auditRows.map(\.action) == ["quarantine"])
        let passed = RecordedEffects()
        try await f.handlers.gate.passed(InspectionPassed(inspection: f.lot("FI-2", [carton], .passed)), f.context(nil, passed))
        let released = try await f.handlers.cartons.get(GetCarton(carton: carton.sscc), f.context(f.staff))
        #expect(released.status == .verified && released.discrepancy == "released: re-inspection FI-2 passed")
        #expect(passed.events(CartonReleased.self).map(\.carton.id) == [carton.id])
        let confirmed = try await f.scan(.confirm, carton)
        #expect(confirmed.location == "FG-MAIN")
        #expect(try await f.balance("BEAR-01", at: "QUARANTINE") == 0)
    }

    @Test func whenAFailedLotCannotBeQuarantinedQualityHearsWhy() async throws {
        let f = try await WarehouseFixture(locations: WarehouseFixture.standardLocations.filter { $0.type != .quarantine })
        let carton = try await f.carton()
        let effects = RecordedEffects()
        try await f.handlers.gate.failed(InspectionFailed(inspection: f.lot("FI-9", [carton], .failed)), f.context(nil, effects))
        #expect(effects.events(InspectionStockRefused.self).map(\.inspectionCode) == ["FI-9"])
        #expect(effects.events(CartonQuarantined.self).isEmpty && effects.auditRows.map(\.action) == ["refused"])
        #expect(try await f.handlers.cartons.get(GetCarton(carton: carton.sscc), f.context(f.staff)).status == .registered)
        // The verdict is kept all the same: the carton stays out of FINISHED_GOODS.
        #expect(try await f.repositories.lots.status(of: "FI-9", in: f.context(nil)) == "FAILED")
    }
}

@Suite struct ReceiptHoldHandlerTests {
    let settings = WarehouseSettings(inspectOnReceipt: [.fabric])

    @Test func anInspectedMaterialIsHeldInQuarantineUntilItPasses() async throws {
        let f = try await WarehouseFixture(settings: settings)
        let effects = RecordedEffects()
        let receipt = try await f.receive(50, effects)[0]
        #expect(receipt.toLocation == "QUARANTINE" && receipt.reason == "held for incoming inspection (for RM-A)")
        #expect(effects.events(MaterialReceiptHeld.self).map { "\($0.quarantine)→\($0.releaseTo) \($0.qty)" } == ["QUARANTINE→RM-A 50"])
        try await f.handlers.hold.passed(IncomingInspectionPassed(inspection: f.incoming("II-1", of: receipt, .passed)), f.context(nil))
        #expect(try await f.balances(at: "RM-A", "QUARANTINE") == [50, 0])
        #expect(f.heldReceipts.all.map(\.status) == ["RELEASED"])
        try await f.handlers.hold.passed(IncomingInspectionPassed(inspection: f.incoming("II-1", of: receipt, .passed)), f.context(nil))
        #expect(try await f.balance(at: "RM-A") == 50)  // once
    }

    @Test func materialsNotInspectedAndReceiptsIntoQuarantineAreNotHeld() async throws {
        let f = try await WarehouseFixture(settings: settings)
        try await f.item("BUTTON", category: .accessory)
        #expect(try await f.receive(5, of: "BUTTON")[0].toLocation == "RM-A")
        #expect(try await f.receive(5, into: "QUARANTINE")[0].reason == nil)
        #expect(f.heldReceipts.all.isEmpty)
    }

    @Test func aReleaseThatCannotBeDoneLeavesTheReceiptHeldAndTellsQuality() async throws {
        let f = try await WarehouseFixture(settings: settings)
        let receipt = try await f.receive(50)[0]
        _ = try await f.handlers.inventory.postMovement(
            PostMovement(
                type: .scrap, itemCode: "FAB-RED", qty: 10, fromLocation: "QUARANTINE",
                reason: "wet"), f.context(f.staff))
        let effects = RecordedEffects()
        try await f.handlers.hold.passed(IncomingInspectionPassed(inspection: f.incoming("II-1", of: receipt, .passed)), f.context(nil, effects))
        #expect(effects.events(InspectionStockRefused.self).map(\.inspectionCode) == ["II-1"])
        #expect(f.heldReceipts.all.map(\.status) == ["HELD"])
        #expect(try await f.balance(at: "QUARANTINE") == 40)
    }

    @Test func aFailedReceiptStaysInQuarantineForItsNCR() async throws {
        let f = try await WarehouseFixture(settings: settings)
        let receipt = try await f.receive(50)[0]
        try await f.handlers.hold.failed(IncomingInspectionFailed(inspection: f.incoming("II-1", of: receipt, .failed)), f.context(nil))
        #expect(f.heldReceipts.all.map(\.status) == ["REJECTED"])
        #expect(try await f.balance(at: "QUARANTINE") == 50)
        let effects = RecordedEffects()
        try await f.handlers.ncr.decided(f.ncr(.returnToSupplier, inspection: "II-1"), f.context(nil, effects))
        #expect(f.heldReceipts.all.map(\.status) == ["RETURNED"])
        #expect(try await f.balance(at: "QUARANTINE") == 0)
        let disposed = effects.events(NCRStockDisposed.self)
        #expect(disposed.map(\.applied) == [true] && disposed.first?.movements.map(\.type) == [.returnToSupplier])
        #expect(effects.auditRows.map(\.action) == ["return_to_supplier"])
    }
}

@Suite struct NCRDispositionHandlerTests {
    @Test func aUseAsIsConcessionReleasesAFailedLotsCartons() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        try await f.handlers.gate.failed(InspectionFailed(inspection: f.lot("FI-1", [carton], .failed)), f.context(nil))
        let effects = RecordedEffects()
        try await f.handlers.ncr.decided(f.ncr(.useAsIs, inspection: "FI-1"), f.context(nil, effects))
        #expect(try await f.handlers.cartons.get(GetCarton(carton: carton.sscc), f.context(f.staff)).status == .verified)
        #expect(
            effects.events(NCRStockDisposed.self).map(\.message) == [
                "1 carton(s) of lot FI-1 released by concession: confirm them into FINISHED_GOODS"
            ])
        #expect(try await f.scan(.confirm, carton).status == .confirmed)  // a CONCESSION lot's cartons may enter
    }

    @Test func scrappingAFailedLotScrapsItsQuarantinedCartons() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        try await f.handlers.gate.failed(InspectionFailed(inspection: f.lot("FI-1", [carton], .failed)), f.context(nil))
        let effects = RecordedEffects()
        try await f.handlers.ncr.decided(f.ncr(.scrap, inspection: "FI-1"), f.context(nil, effects))
        #expect(try await f.handlers.cartons.get(GetCarton(carton: carton.sscc), f.context(f.staff)).status == .scrapped)
        #expect(try await f.balance("BEAR-01", at: "QUARANTINE") == 0)
        #expect(effects.auditRows.map(\.action) == ["scrap", "scrap"])  // the carton, then the NCR's stock
    }

    @Test func anNCRByHandScrapsWhatItNames() async throws {
        let f = try await WarehouseFixture()
        try await f.receive(10, into: "RM-B")
        let effects = RecordedEffects()
        try await f.handlers.ncr.decided(f.ncr(.scrap, material: "FAB-RED", location: "RM-B", qty: 4), f.context(nil, effects))
        #expect(try await f.balance(at: "RM-B") == 6)
        #expect(effects.events(NCRStockDisposed.self).map(\.message) == ["4 FAB-RED SCRAP from RM-B"])
    }

    @Test func anNCRThatCannotBeCarriedOutIsReportedNotRetried() async throws {
        let f = try await WarehouseFixture()
        let effects = RecordedEffects()
        try await f.handlers.ncr.decided(f.ncr(.scrap, material: "FAB-RED", location: "RM-B", qty: 4), f.context(nil, effects))
        let disposed = effects.events(NCRStockDisposed.self)
        #expect(disposed.map(\.applied) == [false] && disposed.first?.message.contains("Not enough FAB-RED at RM-B") == true)
        #expect(effects.auditRows.map(\.action) == ["refused"])
    }

    @Test func aDecisionAboutAnInspectionNotHeardOfYetWaitsForIt() async throws {
        let f = try await WarehouseFixture()
        await #expect(throws: AwaitingEarlierEvent.self) {
            try await f.handlers.ncr.decided(f.ncr(.scrap, inspection: "FI-LATE"), f.context(nil))
        }
        let effects = RecordedEffects()
        let old = WarehouseFixture.now.addingTimeInterval(-NCRDisposition.awaitFailure - 1)
        try await f.handlers.ncr.decided(f.ncr(.scrap, inspection: "FI-LATE", decidedAt: old), f.context(nil, effects))
        #expect(effects.events(NCRStockDisposed.self).map(\.applied) == [false])
    }

    @Test func reworkMovesNothing() async throws {
        let f = try await WarehouseFixture()
        let effects = RecordedEffects()
        try await f.handlers.ncr.decided(f.ncr(.rework, material: "FAB-RED", qty: 1), f.context(nil, effects))
        #expect(effects.messages.isEmpty)
    }
}
