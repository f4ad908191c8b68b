import Contracts
import Foundation
import Testing

@testable import Warehouse

@Suite("Cartons")
struct CartonTests {
    @Test("SSCC-18: extension digit, prefix, padded serial, GS1 mod-10 check digit")
    func sscc() throws {
        // GS1's own example: 0 0614141 123456789 + check digit 0 → 006141411234567890.
        #expect(SSCC.checkDigit("00614141123456789".compactMap(\.wholeNumberValue)) == 0)
        #expect(try SSCC.make(companyPrefix: "0614141", serial: 123_456_789) == "006141411234567890")
        let made = try SSCC.make(companyPrefix: "8991234", serial: 1)
        #expect(made.count == 18 && made.hasPrefix("08991234000000001") && SSCC.isValid(made))
        #expect(throws: SSCC.Problem.serialExhausted) { try SSCC.make(companyPrefix: "8991234", serial: 1_000_000_000) }
        #expect(throws: SSCC.Problem.badPrefix) { try SSCC.make(companyPrefix: "12AB567", serial: 1) }
    }

    @Test("a barcode is read with or without its (00) application identifier; a wrong check digit is refused")
    func barcodes() {
        #expect(SSCC.fromBarcode("006141411234567890") == "006141411234567890")
        #expect(SSCC.fromBarcode("(00)006141411234567890") == "006141411234567890")
        #expect(SSCC.fromBarcode("00006141411234567890") == "006141411234567890")
        #expect(SSCC.fromBarcode("006141411234567891") == nil)
        #expect(SSCC.fromBarcode("12345") == nil)
        #expect(SSCC.fromBarcode("00614141123456789X") == nil)
    }

    @Test(
        "a carton released from QUARANTINE is confirmed by moving its stock from there; counted more adds the extra, counted less adjusts the missing out"
    )
    func confirmFromHold() {
        let bear = ItemCopy(code: "BEAR", kind: .article, unit: .pcs, standardCost: nil)
        func moves(counted: Int) -> [NewMovement] {
            CartonLifecycle.confirmFromHold(
                item: bear, registered: 24, counted: counted, at: "QUARANTINE", to: "FG-MAIN", sscc: "1",
                discrepancy: counted == 24 ? nil : "counted \(counted)")
        }
        let exact = moves(counted: 24)
        #expect(exact.map(\.type) == [.transfer] && exact.map(\.qty) == [24] && exact.first?.from == "QUARANTINE" && exact.first?.to == "FG-MAIN")
        #expect(moves(counted: 26).map(\.type) == [.transfer, .fgReceipt] && moves(counted: 26).map(\.qty) == [24, 2])
        #expect(moves(counted: 20).map(\.type) == [.transfer, .adjustment] && moves(counted: 20).map(\.qty) == [20, 4])
        let none = moves(counted: 0)
        #expect(none.map(\.type) == [.adjustment] && none.first?.from == "QUARANTINE" && none.first?.to == nil)
    }

    @Test("only RECEIVED → VERIFIED → CONFIRMED; the same step again repeats, anything else conflicts")
    func lifecycle() {
        #expect(CartonLifecycle.decide(.registered, step: .receive) == .proceed)
        #expect(CartonLifecycle.decide(.received, step: .verify) == .proceed)
        #expect(CartonLifecycle.decide(.verified, step: .confirm) == .proceed)
        #expect(CartonLifecycle.decide(.received, step: .receive) == .repeated)
        #expect(CartonLifecycle.decide(.quarantined, step: .verify) == .repeated)
        #expect(CartonLifecycle.decide(.confirmed, step: .confirm) == .repeated)
        for (status, step) in [
            (CartonStatus.registered, CartonStep.verify), (.registered, .confirm), (.received, .confirm),
            (.quarantined, .confirm), (.shipped, .receive), (.confirmed, .verify),
        ] {
            if case .conflict = CartonLifecycle.decide(status, step: step) {} else { Issue.record("\(status) \(step) was allowed") }
        }
        #expect(CartonLifecycle.canShip(.confirmed) && !CartonLifecycle.canShip(.verified) && !CartonLifecycle.canShip(.shipped))
    }

    @Test("a counted quantity that differs needs a reason and becomes the discrepancy")
    func confirmation() throws {
        #expect(try CartonLifecycle.confirmation(registered: 24, counted: nil, reason: nil) == (24, nil))
        #expect(try CartonLifecycle.confirmation(registered: 24, counted: 24, reason: nil) == (24, nil))
        #expect(throws: ErrorReply.self) { try CartonLifecycle.confirmation(registered: 24, counted: 22, reason: " ") }
        let (qty, discrepancy) = try CartonLifecycle.confirmation(registered: 24, counted: 22, reason: "two missing")
        #expect(qty == 22 && discrepancy == "counted 22, registered 24: two missing")
    }

    @Test("delivery notes are DN-YYYYMMDD-NNNN")
    func deliveryNotes() {
        #expect(DeliveryNoteNumber.code(day: LocalDate("2026-01-28")!, sequence: 7) == "DN-20260128-0007")
        #expect(DeliveryNoteNumber.code(day: LocalDate("2026-12-01")!, sequence: 12345) == "DN-20261201-12345")
    }

    @Test("the label carries the SSCC in ZPL (Code 128, AI 00) and as text")
    func label() {
        let zpl = CartonLabel.zpl(sscc: "006141411234567890", article: "BEAR-01", qty: 24, spk: "SPK-1", order: "MO-1")
        #expect(zpl.hasPrefix("^XA") && zpl.hasSuffix("^XZ") && zpl.contains(">800006141411234567890"))
        #expect(
            CartonLabel.text(sscc: "006141411234567890", article: "BEAR-01", qty: 24, spk: "SPK-1", order: nil)
                .contains("SSCC: (00) 006141411234567890"))
    }
}
