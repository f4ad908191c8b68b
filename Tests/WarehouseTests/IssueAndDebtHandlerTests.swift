import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Warehouse

/// Material to the line and material debt — issued on approval, settled by later receipts — on in-memory repositories.
@Suite struct IssueHandlerTests {
    @Test func materialGoesFromTheRichestStoreToTheSPKsFloor() async throws {
        let f = try await WarehouseFixture()
        let spk = f.spk()
        try await f.receive(5, into: "RM-A")
        try await f.receive(30, into: "RM-B")
        let effects = RecordedEffects()
        let posted = try await f.handlers.issues.issue(
            IssueMaterial(spk: spk.code, lines: [IssueLine(materialCode: "fab-red", qty: 12)]),
            f.context(f.staff, effects))
        #expect(
            posted.map { "\($0.type.rawValue) \($0.fromLocation ?? "-")→\($0.toLocation ?? "-") \($0.reference ?? "")" }
                == ["ISSUE RM-B→FLOOR-SEWING \(spk.code)"])
        #expect(try await f.balances(at: "RM-B", "FLOOR-SEWING") == [18, 12])
        let issued = effects.events(MaterialIssued.self)
        #expect(issued.map(\.qty) == [12] && issued.first?.spkCode == spk.code && issued.first?.orderCode == spk.orderCode)
        #expect(effects.auditRows.map { "\($0.entity) \($0.entity_id) \($0.action)" } == ["issue \(spk.code) issue"])
    }

    @Test func aShortIssueNamesEachShortMaterialAndMovesNothing() async throws {
        let f = try await WarehouseFixture()
        let spk = f.spk()
        try await f.receive(5)
        let effects = RecordedEffects()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.issues.issue(
                IssueMaterial(spk: spk.code, lines: [IssueLine(materialCode: "FAB-RED", qty: 8)]),
                f.context(f.staff, effects))
        }
        #expect(error?.code == .ruleViolated && error?.details.map(\.field) == ["FAB-RED"])
        #expect(error?.message.contains("material-debt") == true)
        #expect(try await f.balance(at: "RM-A") == 5 && effects.messages.isEmpty)
    }

    @Test func aReturnFromTheFloorGoesBackToStockAsANegativeIssue() async throws {
        let f = try await WarehouseFixture()
        let spk = f.spk()
        try await f.receive(10)
        _ = try await f.handlers.issues.issue(IssueMaterial(spk: spk.code, lines: [IssueLine(materialCode: "FAB-RED", qty: 10)]), f.context(f.staff))
        let effects = RecordedEffects()
        let back = try await f.handlers.issues.issue(
            IssueMaterial(
                spk: spk.code, lines: [IssueLine(materialCode: "FAB-RED", qty: 4)],
                returnToStock: true), f.context(f.staff, effects))
        #expect(back.map(\.type) == [.returnFromFloor] && back.first?.toLocation == "RM-A")
        #expect(effects.events(MaterialIssued.self).map(\.qty) == [-4])
        #expect(try await f.balance(at: "FLOOR-SEWING") == 6)
        let tooMuch = await #expect(throws: ErrorReply.self) {
            try await f.handlers.issues.issue(
                IssueMaterial(spk: spk.code, lines: [IssueLine(materialCode: "FAB-RED", qty: 7)], returnToStock: true),
                f.context(f.staff))
        }
        #expect(tooMuch?.message == "The floor holds less than is returned.")
    }

    @Test func anOrderWithoutLinesGetsWhatItsBOMStillNeeds() async throws {
        let f = try await WarehouseFixture()
        let day = LocalDate(year: 2026, month: 3, day: 1)!
        let order = ManufacturingOrder(
            id: UUID(), code: "MO-7", articleCode: "BEAR-01", qty: 10, startDate: day, dueDate: day,
            stages: [.sewing, .packing], status: .planned, progress: 0, finishedQty: 0, notes: nil, createdBy: "ppic",
            createdAt: WarehouseFixture.now, spks: nil)
        f.owners.bus.answer(GetOrder.self) { _ in order }
        f.owners.bus.answer(GetOrderRequirements.self) { query in
            OrderRequirements(
                orderCode: query.orderCode, articleCode: "BEAR-01", qty: 10, bomId: nil, bomCode: nil, bomVersion: nil,
                lines: [MaterialRequirement(materialCode: "FAB-RED", unit: .m, qtyPerUnit: 1.5, required: 15)], note: nil)
        }
        try await f.receive(40)
        let first = try await f.handlers.issues.issue(IssueMaterial(order: "MO-7", lines: nil), f.context(f.staff))
        #expect(first.map { "\($0.qty) \($0.toLocation ?? "") \($0.reference ?? "")" } == ["15 FLOOR-SEWING MO-7"])
        let done = await #expect(throws: ErrorReply.self) {
            try await f.handlers.issues.issue(IssueMaterial(order: "MO-7", lines: nil), f.context(f.staff))
        }
        #expect(done?.code == .ruleViolated && done?.message.hasPrefix("MO-7 needs no more material") == true)
    }

    @Test func anIssueNamesExactlyOneKnownTarget() async throws {
        let f = try await WarehouseFixture()
        let line = [IssueLine(materialCode: "FAB-RED", qty: 1)]
        let both = await #expect(throws: ErrorReply.self) {
            try await f.handlers.issues.issue(IssueMaterial(order: "MO-1", spk: "SPK-1", lines: line), f.context(f.staff))
        }
        #expect(both?.code == .validationFailed && both?.details.map(\.field) == ["order"])
        let unknown = await #expect(throws: ErrorReply.self) {
            try await f.handlers.issues.issue(IssueMaterial(spk: "SPK-NOPE", lines: line), f.context(f.staff))
        }
        #expect(unknown?.code == .ruleViolated && unknown?.details.map(\.field) == ["spk"])
        let sewer = await #expect(throws: ErrorReply.self) {
            try await f.handlers.issues.issue(IssueMaterial(spk: "SPK-1", lines: line), f.context(f.sewer))
        }
        #expect(sewer?.code == .forbidden)
    }
}

@Suite struct DebtHandlerTests {
    /// A material debt of `qty` of FAB-RED for `spk`, approved at every level.
    func approved(_ spk: SPK, qty: Double = 12) -> ApprovalApproved {
        let request = ApprovalRequest(
            id: UUID(), code: "MD-20260301-0001", kind: .materialDebt, status: .approved, spkId: spk.id, spkCode: spk.code, requestedBy: "spv",
            requestedById: "u-spv", requestedAt: WarehouseFixture.now, reason: "supplier late", currentLevel: 2, levels: [], change: "FAB-RED \(qty)",
            quantity: nil, materialDebt: MaterialDebt(materialCode: "FAB-RED", qty: qty), outcome: nil, updatedAt: WarehouseFixture.now)
        return ApprovalApproved(request: request)
    }

    @Test func anApprovedDebtIsIssuedBelowZeroOnce() async throws {
        let f = try await WarehouseFixture()
        let spk = f.spk()
        let event = approved(spk)
        let effects = RecordedEffects()
        try await f.handlers.debts.approved(event, f.context(nil, effects))
        #expect(try await f.balances(at: "RM-A", "FLOOR-SEWING") == [-12, 12])
        let opened = try #require(effects.events(MaterialDebtOpened.self).first?.debt)
        #expect(opened.approvalCode == event.request.code && opened.qty == 12 && opened.openQty == 12 && opened.location == "RM-A")
        #expect(effects.events(MaterialIssued.self).map(\.qty) == [12])
        #expect(effects.auditRows.map(\.action) == ["debt issue"])
        let again = RecordedEffects()
        try await f.handlers.debts.approved(event, f.context(nil, again))
        #expect(again.messages.isEmpty && f.debts.all.count == 1)
    }

    @Test func aDebtThatCannotBeIssuedIsReportedNotRetried() async throws {
        let f = try await WarehouseFixture()
        let effects = RecordedEffects()
        try await f.handlers.debts.approved(approved(f.spk(status: .cancelled)), f.context(nil, effects))
        let failed = effects.events(MaterialDebtIssueFailed.self)
        #expect(failed.count == 1 && failed.first?.reason.contains("CANCELLED") == true)
        #expect(effects.events(MaterialDebtOpened.self).isEmpty && f.debts.all.isEmpty)
        #expect(effects.auditRows.map(\.action) == ["debt issue refused"])
    }

    @Test func otherApprovalsAreNotTheWarehousesBusiness() async throws {
        let f = try await WarehouseFixture()
        var change = approved(f.spk())
        change.request.kind = .quantityChange
        change.request.materialDebt = nil
        let effects = RecordedEffects()
        try await f.handlers.debts.approved(change, f.context(nil, effects))
        #expect(effects.messages.isEmpty)
    }

    @Test func receiptsSettleOpenDebtsOldestFirst() async throws {
        let f = try await WarehouseFixture()
        let event = approved(f.spk())
        try await f.handlers.debts.approved(event, f.context(nil))
        let partly = RecordedEffects()
        let first = try await f.receive(5, partly)
        #expect(first.map(\.type) == [.receipt, .debtSettlement])
        #expect(partly.events(MaterialDebtSettled.self).map { "\($0.settledQty) \($0.openQty) \($0.fullySettled)" } == ["5 7 false"])
        let fully = RecordedEffects()
        _ = try await f.receive(10, fully)
        #expect(fully.events(MaterialDebtSettled.self).map { "\($0.settledQty) \($0.openQty) \($0.fullySettled)" } == ["7 0 true"])
        let settled = try await f.handlers.debts.list(ListWarehouseDebts(status: .settled), f.context(f.staff))
        #expect(settled.items.map(\.approvalId) == [event.request.id] && settled.items.first?.settledAt == WarehouseFixture.now)
        #expect(try await f.handlers.debts.list(ListWarehouseDebts(status: .open), f.context(f.staff)).total == 0)
        #expect(try await f.balance(at: "RM-A") == 3)
    }

    @Test func theDebtListChecksItsPage() async throws {
        let f = try await WarehouseFixture()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.debts.list(ListWarehouseDebts(page: PageRequest(page: 1, perPage: 0)), f.context(f.staff))
        }
        #expect(error?.code == .validationFailed)
    }
}
