import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Approval

/// Asking for a quantity change or material debt, decided on in-memory repositories (no broker, no database).
@Suite struct QuantityChangeRequestTests {
    let f = ApprovalFixture()

    @Test func aSmallChangeWaitsForTheProductionManagerOnly() async throws {
        let spk = f.spk()
        let effects = RecordedEffects()
        let request = try await f.handlers.requestQuantityChange(
            RequestQuantityChange(spk: spk.code, newQty: 450, reason: "  fabric short "),
            f.context(f.supervisor, effects))
        #expect(request.code == "MOD-20260301-0001")
        #expect(request.status == .pending && request.currentLevel == 1)
        #expect(request.levels.map(\.role) == ["PRODUCTION_MANAGER"])
        #expect(request.change == "500→450" && request.reason == "fabric short")
        #expect(request.quantity == QuantityChange(originalQty: 500, oldQty: 500, newQty: 450))
        #expect(request.requestedBy == "spv_sewing" && request.requestedAt == ApprovalFixture.now)
        #expect(effects.events(ApprovalSubmitted.self).map(\.request) == [request])
        #expect(effects.auditRows.map { "\($0.entity) \($0.entity_id) \($0.action)" } == ["approval_request MOD-20260301-0001 submit"])
        #expect(try await f.stored(request) == request)
    }

    @Test func moreThanTenPercentAlsoNeedsTheManager() async throws {
        let request = try await f.quantityChange(f.spk(), to: 440)
        #expect(request.levels.map(\.role) == ["PRODUCTION_MANAGER", "MANAGER"])
    }

    @Test func codesCountUpWithinTheDay() async throws {
        let first = try await f.quantityChange(f.spk(code: "SPK-A"), to: 450)
        let second = try await f.quantityChange(f.spk(code: "SPK-B"), to: 450)
        #expect([first.code, second.code] == ["MOD-20260301-0001", "MOD-20260301-0002"])
    }

    @Test func onlySupervisorsAndManagersAsk() async throws {
        let spk = f.spk()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestQuantityChange(RequestQuantityChange(spk: spk.code, newQty: 450, reason: "r"), f.context(f.staff))
        }
        #expect(error?.code == .forbidden)
        #expect(f.approvals.all.isEmpty)
    }

    @Test func aReasonIsRequired() async throws {
        let spk = f.spk()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestQuantityChange(RequestQuantityChange(spk: spk.code, newQty: 450, reason: " \n"), f.context(f.supervisor))
        }
        #expect(error?.code == .validationFailed)
        #expect(error?.details.map(\.field) == ["reason"])
    }

    @Test func anSPKProductionDoesNotKnowIsNotFound() async throws {
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestQuantityChange(RequestQuantityChange(spk: "SPK-NOPE", newQty: 450, reason: "r"), f.context(f.supervisor))
        }
        #expect(error?.code == .notFound)
    }

    @Test func aClosedSPKsTargetNoLongerChanges() async throws {
        let spk = f.spk(status: .closed)
        let error = await #expect(throws: ErrorReply.self) { try await f.quantityChange(spk, to: 450) }
        #expect(error?.code == .conflict)
    }

    @Test func theNewQuantityMustDifferAndCoverWhatIsProduced() async throws {
        let spk = f.spk(produced: 300)
        let same = await #expect(throws: ErrorReply.self) { try await f.quantityChange(spk, to: 500) }
        #expect(same?.code == .ruleViolated && same?.details.map(\.field) == ["new_qty"])
        let below = await #expect(throws: ErrorReply.self) { try await f.quantityChange(spk, to: 299) }
        #expect(below?.code == .ruleViolated && below?.details.first?.message == "must be at least 300")
    }

    @Test func oneOpenChangePerSPK() async throws {
        let spk = f.spk()
        _ = try await f.quantityChange(spk, to: 450)
        let effects = RecordedEffects()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestQuantityChange(
                RequestQuantityChange(spk: spk.code, newQty: 420, reason: "r"), f.context(f.supervisor, effects))
        }
        #expect(error?.code == .conflict)
        #expect(effects.messages.isEmpty && effects.auditRows.isEmpty)
    }

    @Test func theStoreRefusesASecondOpenChangeItself() async throws {
        // Two submissions that both passed the check: the second insert is the one refused (the unique index in PostgreSQL).
        let request = try await f.quantityChange(f.spk(), to: 450)
        var twin = request
        twin.id = UUID()
        twin.code = "MOD-20260301-0099"
        let error = await #expect(throws: ErrorReply.self) { try await f.approvals.insert(twin, in: f.context(f.supervisor)) }
        #expect(error == .openQuantityChange(request.spkCode))
    }
}

@Suite struct MaterialDebtRequestTests {
    let f = ApprovalFixture()

    @Test func aDebtGoesThroughProductionThenTheWarehouse() async throws {
        let spk = f.spk()
        f.material("FAB-RED", unit: .m)
        let effects = RecordedEffects()
        let request = try await f.handlers.requestMaterialDebt(
            RequestMaterialDebt(spkId: spk.id.uuidString, materialCode: " fab-red ", qty: 12.5, reason: "supplier late"),
            f.context(f.supervisor, effects))
        #expect(request.code == "MD-20260301-0001" && request.kind == .materialDebt)
        #expect(request.levels.map(\.role) == ["PRODUCTION_MANAGER", "WAREHOUSE_MANAGER"])
        #expect(request.materialDebt == MaterialDebt(materialCode: "FAB-RED", qty: 12.5))
        #expect(request.change == "FAB-RED 12.5" && request.spkCode == spk.code)
        #expect(effects.events(ApprovalSubmitted.self).map(\.request.id) == [request.id])
        #expect(effects.auditRows.map(\.action) == ["submit"])
    }

    @Test func theMaterialIsAskedOnceThenKnown() async throws {
        let spk = f.spk()
        f.material("FAB-RED", unit: .pcs)
        _ = try await f.materialDebt(spk, qty: 3)
        f.owners.materials.withLock { $0.removeAll() }  // BOMFinance no longer asked: the copy answers
        let second = try await f.materialDebt(spk, qty: 4)
        #expect(second.change == "FAB-RED 4")
    }

    @Test func theNewestCopyOfAMaterialWins() async throws {
        let spk = f.spk()
        let context = f.context(nil)
        try await f.repositories.materials.keep(f.material("FAB-RED", unit: .m, version: 2), in: context)
        try await f.repositories.materials.keep(f.material("FAB-RED", unit: .pcs, version: 1), in: context)
        #expect(try await f.materialDebt(spk, qty: 2.5).materialDebt?.qty == 2.5)
    }

    @Test func onlyProductionSupervisorsAndManagersAsk() async throws {
        let spk = f.spk()
        let ppic = Actor(userId: "u-ppic", username: "ppic", roles: ["PPIC_MANAGER"])
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestMaterialDebt(
                RequestMaterialDebt(spkId: spk.id.uuidString, materialCode: "FAB-RED", qty: 1, reason: "r"),
                f.context(ppic))
        }
        #expect(error?.code == .forbidden)
    }

    @Test func materialAndReasonAreRequired() async throws {
        let spk = f.spk()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestMaterialDebt(
                RequestMaterialDebt(spkId: spk.id.uuidString, materialCode: " ", qty: 1, reason: ""),
                f.context(f.supervisor))
        }
        #expect(error?.code == .validationFailed)
        #expect(error?.details.map(\.field) == ["material_code", "reason"])
    }

    @Test func anUnknownSPKIsARuleNamingTheField() async throws {
        f.material("FAB-RED", unit: .m)
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.requestMaterialDebt(
                RequestMaterialDebt(spkId: UUID().uuidString, materialCode: "FAB-RED", qty: 1, reason: "r"),
                f.context(f.supervisor))
        }
        #expect(error?.code == .ruleViolated && error?.details.map(\.field) == ["spk_id"])
    }

    @Test func anUnknownMaterialIsARuleNamingTheField() async throws {
        let error = await #expect(throws: ErrorReply.self) { try await f.materialDebt(f.spk(), "NO-SUCH") }
        #expect(error?.code == .ruleViolated && error?.details.map(\.field) == ["material_code"])
    }

    @Test func theAmountMustFitTheMaterialsUnit() async throws {
        f.material("BUTTON", unit: .pcs)
        let error = await #expect(throws: ErrorReply.self) { try await f.materialDebt(f.spk(), "BUTTON", qty: 2.5) }
        #expect(error?.code == .ruleViolated && error?.details.map(\.field) == ["qty"])
        #expect(f.approvals.all.isEmpty)
    }

    @Test func noMaterialIsIssuedToACancelledSPK() async throws {
        f.material("FAB-RED", unit: .m)
        let error = await #expect(throws: ErrorReply.self) { try await f.materialDebt(f.spk(status: .cancelled)) }
        #expect(error?.code == .conflict)
    }
}
