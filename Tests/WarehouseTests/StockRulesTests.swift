import Contracts
import Foundation
import Testing

@testable import Warehouse

@Suite("Stock rules")
struct StockRulesTests {
    let staff = Actor(userId: "u1", username: "staff", roles: ["WAREHOUSE_STAFF"])
    let manager = Actor(userId: "u2", username: "boss", roles: ["WAREHOUSE_MANAGER"])

    @Test("stock never goes below zero, and the refusal says what is available")
    func neverNegative() throws {
        #expect(try StockRules.take(4, from: 10, item: "F", location: "RM") == 6)
        #expect(try StockRules.take(10, from: 10, item: "F", location: "RM") == 0)
        #expect(throws: ErrorReply.self) { try StockRules.take(Decimal(string: "10.001")!, from: 10, item: "F", location: "RM") }
        do {
            _ = try StockRules.take(12, from: 10, item: "F", location: "RM")
            Issue.record("12 of 10 was allowed")
        } catch {
            #expect(error.code == .ruleViolated && error.message.contains("10 available"))
        }
    }

    @Test("approved debt lets a balance go negative by at most what it owes")
    func debtAllowance() throws {
        #expect(try StockRules.take(15, from: 5, debtAllowance: 10, item: "F", location: "RM") == -10)
        #expect(throws: ErrorReply.self) { try StockRules.take(16, from: 5, debtAllowance: 10, item: "F", location: "RM") }
        // A balance already negative under debt has nothing available for an ordinary issue.
        #expect(throws: ErrorReply.self) { try StockRules.take(1, from: -3, item: "F", location: "RM") }
    }

    @Test("shortfalls name each short material, summing repeated lines")
    func shortfalls() {
        let short = StockRules.shortfalls([("A", 5), ("B", 3), ("A", 6)], available: ["A": 10, "B": 7])
        #expect(short == [FieldError(field: "A", message: "short by 1 (available 10, needed 11)")])
        #expect(StockRules.shortfalls([("C", 1)], available: ["C": -4]).first?.message == "short by 1 (available 0, needed 1)")
    }

    @Test("an order still needs its requirement less what was issued")
    func stillNeeded() {
        let lines = StockRules.stillNeeded(
            [
                MaterialRequirement(materialCode: "A", unit: .m, qtyPerUnit: 1, required: 10),
                MaterialRequirement(materialCode: "B", unit: .pcs, qtyPerUnit: 2, required: 20),
            ], issued: ["A": 10, "B": 5])
        #expect(lines == [IssueLine(materialCode: "B", qty: 15)])
    }

    @Test("posted movements: types, locations, reasons and roles")
    func plans() throws {
        let receipt = try StockRules.plan(PostMovement(type: .receipt, itemCode: " fab ", qty: 5, toLocation: "rm-main"), actor: staff)
        #expect(receipt.itemCode == "FAB" && receipt.to == "RM-MAIN" && receipt.from == nil)
        #expect(throws: ErrorReply.self) { try StockRules.plan(PostMovement(type: .receipt, itemCode: "F", qty: 5), actor: staff) }
        #expect(throws: ErrorReply.self) {
            try StockRules.plan(PostMovement(type: .transfer, itemCode: "F", qty: 5, fromLocation: "A", toLocation: "a"), actor: staff)
        }
        #expect(throws: ErrorReply.self) { try StockRules.plan(PostMovement(type: .issue, itemCode: "F", qty: 5, fromLocation: "A"), actor: staff) }
        // An adjustment needs a reason and a manager.
        let adjust = PostMovement(type: .adjustment, itemCode: "F", qty: 1, toLocation: "A", reason: "count")
        #expect(throws: ErrorReply.self) {
            try StockRules.plan(PostMovement(type: .adjustment, itemCode: "F", qty: 1, toLocation: "A"), actor: manager)
        }
        do {
            _ = try StockRules.plan(adjust, actor: staff)
            Issue.record("staff adjusted")
        } catch { #expect(error.code == .forbidden) }
        #expect(try StockRules.plan(adjust, actor: manager).type == .adjustment)
        #expect(throws: ErrorReply.self) { try StockRules.plan(adjust, actor: Actor(userId: "x", username: "x", roles: ["PPIC_MANAGER"])) }
    }

    @Test("an approval's quantity becomes an exact decimal rounded up to the unit")
    func exactQuantities() {
        #expect(StockRules.exact(12.5, unit: .m) == Decimal(string: "12.5"))
        #expect(StockRules.exact(0.1, unit: .kg) == Decimal(string: "0.1"))
        #expect(StockRules.exact(2.2, unit: .pcs) == 3)
    }

    @Test("quantity bounds where they enter")
    func bounds() {
        #expect(WarehouseBounds.checkQuantity(Decimal(string: "1.234")!, "qty") == nil)
        #expect(WarehouseBounds.checkQuantity(Decimal(string: "1.2345")!, "qty") != nil)
        #expect(WarehouseBounds.checkQuantity(0, "qty") != nil)
        #expect(WarehouseBounds.checkQuantity(Decimal(string: "10000001")!, "qty") != nil)
        #expect(DecimalRules.checkQuantity(Decimal(string: "1.5")!, "qty", unit: .pcs)?.message == "must be a whole number of PCS")
    }
}

@Suite("Material debt settlement")
struct DebtSettlementTests {
    let first = UUID(), second = UUID(), third = UUID()

    @Test("a receipt settles open debts oldest first, the last one it reaches in part")
    func oldestFirstInParts() {
        let settlements = DebtSettlement.settle(
            receipt: 12,
            debts: [
                .init(id: first, openQty: 5), .init(id: second, openQty: 10),
                .init(id: third, openQty: 3),
            ])
        #expect(settlements == [.init(debtId: first, settled: 5, remaining: 0), .init(debtId: second, settled: 7, remaining: 3)])
        #expect(settlements.map(\.isFull) == [true, false])
    }

    @Test("a receipt larger than every debt settles them all; none open, nothing settled")
    func edges() {
        #expect(
            DebtSettlement.settle(receipt: 100, debts: [.init(id: first, openQty: Decimal(string: "2.5")!)])
                == [.init(debtId: first, settled: Decimal(string: "2.5")!, remaining: 0)])
        #expect(DebtSettlement.settle(receipt: 100, debts: []).isEmpty)
    }
}
