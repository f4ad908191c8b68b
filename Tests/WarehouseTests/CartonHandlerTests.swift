import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Warehouse

extension WarehouseFixture {
    /// A carton of `qty` BEAR-01 registered by the packing line for a new SPK.
    func carton(qty: Int = 24) async throws -> Carton {
        let spk = spk(code: "SPK-\(UUID().uuidString.prefix(8))")
        return try await handlers.cartons.register(RegisterCarton(spk: spk.code, articleCode: "BEAR-01", qty: qty), context(packer))
    }

    /// `carton` scanned at `step` by the warehouse staff.
    @discardableResult
    func scan(
        _ step: CartonStep, _ carton: Carton, article: String? = nil, qty: Int? = nil, reason: String? = nil,
        _ effects: RecordedEffects = RecordedEffects()
    ) async throws -> Carton {
        try await handlers.cartons.scan(
            ScanCarton(step: step, cartonId: carton.id.uuidString, article: article, qty: qty, reason: reason),
            context(staff, effects))
    }

    /// `carton` received, verified and confirmed into FINISHED_GOODS.
    func confirmed(_ carton: Carton) async throws -> Carton {
        try await scan(.receive, carton)
        try await scan(.verify, carton, article: carton.articleCode)
        return try await scan(.confirm, carton)
    }
}

/// Finished-goods cartons — registered, received, verified, confirmed, shipped and returned — on in-memory repositories.
@Suite struct CartonHandlerTests {
    @Test func thePackingLineRegistersALabelledCarton() async throws {
        let f = try await WarehouseFixture()
        let effects = RecordedEffects()
        let spk = f.spk()
        let carton = try await f.handlers.cartons.register(
            RegisterCarton(spk: spk.code, articleCode: "bear-01", qty: 24), f.context(f.packer, effects))
        #expect(carton.status == .registered && carton.articleCode == "BEAR-01" && carton.orderCode == spk.orderCode)
        #expect(carton.sscc.count == 18 && carton.sscc.hasPrefix("08991234") && carton.labelText.contains("Qty: 24"))
        #expect(effects.auditRows.map { "\($0.entity) \($0.entity_id) \($0.action)" } == ["carton \(carton.sscc) register"])
        #expect(try await f.handlers.cartons.get(GetCarton(carton: carton.sscc), f.context(f.staff)) == carton)
    }

    @Test func registeringIsForThePackingLineAndTheSPKsArticle() async throws {
        let f = try await WarehouseFixture()
        let spk = f.spk()
        let sewer = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.register(RegisterCarton(spk: spk.code, articleCode: "BEAR-01", qty: 1), f.context(f.sewer))
        }
        #expect(sewer?.code == .forbidden)
        try await f.item("CAT-02", kind: .article)
        let other = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.register(RegisterCarton(spk: spk.code, articleCode: "CAT-02", qty: 1), f.context(f.packer))
        }
        #expect(other?.code == .ruleViolated && other?.details.map(\.field) == ["article_code"])
        let noSPK = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.register(RegisterCarton(spk: "SPK-NOPE", articleCode: "BEAR-01", qty: 1), f.context(f.packer))
        }
        #expect(noSPK?.code == .ruleViolated && noSPK?.details.map(\.field) == ["spk"])
    }

    @Test func aConfirmedCartonIsFinishedGoods() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        #expect(try await f.scan(.receive, carton).status == .received)
        #expect(try await f.scan(.receive, carton).status == .received)  // a double scan answers the same
        #expect(try await f.scan(.verify, carton, article: "bear-01").status == .verified)
        let effects = RecordedEffects()
        let confirmed = try await f.scan(.confirm, carton, effects)
        #expect(confirmed.status == .confirmed && confirmed.location == "FG-MAIN" && confirmed.confirmedQty == 24)
        #expect(try await f.balance("BEAR-01", at: "FG-MAIN") == 24)
        #expect(effects.events(CartonConfirmed.self).map { "\($0.sscc) \($0.qty)" } == ["\(carton.sscc) 24"])
        #expect(effects.auditRows.map(\.action) == ["confirm"])
    }

    @Test func scansFollowTheLifecycle() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        let early = await #expect(throws: ErrorReply.self) { try await f.scan(.confirm, carton) }
        #expect(early?.code == .conflict)
        let byPacker = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.scan(ScanCarton(step: .receive, cartonId: carton.id.uuidString), f.context(f.packer))
        }
        #expect(byPacker?.code == .forbidden)
        let badBarcode = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.scan(ScanCarton(step: .receive, barcode: "123"), f.context(f.staff))
        }
        #expect(badBarcode?.details.map(\.field) == ["barcode"])
        #expect(try await f.handlers.cartons.scan(ScanCarton(step: .receive, barcode: carton.sscc), f.context(f.staff)).status == .received)
        let noArticle = await #expect(throws: ErrorReply.self) { try await f.scan(.verify, carton) }
        #expect(noArticle?.code == .validationFailed && noArticle?.details.map(\.field) == ["article"])
    }

    @Test func theWrongArticleInACartonGoesToQuarantine() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        try await f.scan(.receive, carton)
        let effects = RecordedEffects()
        let held = try await f.scan(.verify, carton, article: "CAT-02", effects)
        #expect(held.status == .quarantined && held.location == "QUARANTINE" && held.discrepancy == "registered BEAR-01, found CAT-02")
        #expect(try await f.balance("BEAR-01", at: "QUARANTINE") == 24)
        #expect(effects.events(CartonQuarantined.self).map(\.carton.id) == [carton.id])
    }

    @Test func aCountThatDiffersNeedsAReason() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.carton()
        try await f.scan(.receive, carton)
        try await f.scan(.verify, carton, article: "BEAR-01")
        let bare = await #expect(throws: ErrorReply.self) { try await f.scan(.confirm, carton, qty: 20) }
        #expect(bare?.details.map(\.field) == ["reason"])
        let short = try await f.scan(.confirm, carton, qty: 20, reason: "4 torn")
        #expect(short.confirmedQty == 20 && short.discrepancy == "counted 20, registered 24: 4 torn")
        #expect(try await f.balance("BEAR-01", at: "FG-MAIN") == 20)
    }

    @Test func withFinalInspectionRequiredACartonWaitsForAPassedLot() async throws {
        let f = try await WarehouseFixture(settings: WarehouseSettings(requireFinalInspection: true))
        let carton = try await f.carton()
        try await f.scan(.receive, carton)
        try await f.scan(.verify, carton, article: "BEAR-01")
        let error = await #expect(throws: ErrorReply.self) { try await f.scan(.confirm, carton) }
        #expect(error?.code == .conflict)
    }

    @Test func shippingConfirmedCartonsWritesADeliveryNote() async throws {
        let f = try await WarehouseFixture()
        let first = try await f.confirmed(try await f.carton(qty: 24))
        let second = try await f.confirmed(try await f.carton(qty: 12))
        let effects = RecordedEffects()
        let note = try await f.handlers.cartons.ship(
            ShipCartons(
                cartons: [first.sscc, second.id.uuidString, first.sscc], destination: " Toko A ",
                method: "truck"), f.context(f.staff, effects))
        #expect(note.code == "DN-20260301-0001" && note.destination == "Toko A" && note.cartons.map(\.qty) == [24, 12])
        #expect(try await f.balance("BEAR-01", at: "FG-MAIN") == 0)
        #expect(try await f.handlers.cartons.get(GetCarton(carton: first.sscc), f.context(f.staff)).status == .shipped)
        #expect(effects.events(ShipmentDispatched.self).map(\.deliveryNote) == [note])
        #expect(effects.auditRows.map { "\($0.entity) \($0.entity_id) \($0.action)" } == ["delivery_note DN-20260301-0001 ship"])
        #expect(try await f.handlers.cartons.deliveryNote(GetDeliveryNote(code: "dn-20260301-0001"), f.context(f.staff)) == note)
        let again = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.ship(ShipCartons(cartons: [first.sscc], destination: "B", method: "truck"), f.context(f.staff))
        }
        #expect(again?.code == .conflict && again?.message.contains("on DN-20260301-0001") == true)
    }

    @Test func shippingNeedsWhereHowAndWhat() async throws {
        let f = try await WarehouseFixture()
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.ship(ShipCartons(cartons: [], destination: " ", method: ""), f.context(f.staff))
        }
        #expect(error?.details.map(\.field) == ["destination", "method", "cartons"])
        let unknown = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.ship(ShipCartons(cartons: [UUID().uuidString], destination: "A", method: "truck"), f.context(f.staff))
        }
        #expect(unknown?.code == .ruleViolated && unknown?.details.map(\.field) == ["cartons[0]"])
    }

    @Test func unknownCartonsAndNotesAreNotFound() async throws {
        let f = try await WarehouseFixture()
        let carton = await #expect(throws: ErrorReply.self) { try await f.handlers.cartons.get(GetCarton(carton: "nope"), f.context(f.staff)) }
        #expect(carton?.code == .notFound)
        let note = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.deliveryNote(GetDeliveryNote(code: "DN-19990101-0001"), f.context(f.staff))
        }
        #expect(note?.code == .notFound)
    }

    @Test func returnsComeBackAgainstTheirDeliveryNote() async throws {
        let f = try await WarehouseFixture()
        let carton = try await f.confirmed(try await f.carton(qty: 24))
        let note = try await f.handlers.cartons.ship(ShipCartons(cartons: [carton.sscc], destination: "A", method: "truck"), f.context(f.staff))
        let effects = RecordedEffects()
        let restocked = try await f.handlers.cartons.receiveReturn(
            ReceiveCustomerReturn(
                deliveryNote: note.code, lines: [CustomerReturnLine(carton: carton.sscc, article: nil, qty: 5, reason: "wrong size")],
                disposition: .restock), f.context(f.staff, effects))
        #expect(restocked.lines.map { "\($0.articleCode) \($0.qty)" } == ["BEAR-01 5"] && restocked.receivedAt == WarehouseFixture.now)
        #expect(try await f.balances("BEAR-01", at: "FG-MAIN", "RETURNS") == [5, 0])
        #expect(effects.events(CustomerReturnReceived.self).map(\.customerReturn) == [restocked])
        #expect(effects.auditRows.map(\.action) == ["restock"])
        _ = try await f.handlers.cartons.receiveReturn(
            ReceiveCustomerReturn(
                deliveryNote: note.code, lines: [CustomerReturnLine(carton: nil, article: "bear-01", qty: 3, reason: "stain")],
                disposition: .rework), f.context(f.staff))
        #expect(try await f.balance("BEAR-01", at: "RETURNS") == 3)
        let tooMany = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.receiveReturn(
                ReceiveCustomerReturn(
                    deliveryNote: note.code,
                    lines: [
                        CustomerReturnLine(carton: nil, article: "BEAR-01", qty: 17, reason: "x"),
                        CustomerReturnLine(carton: nil, article: "BEAR-01", qty: 1, reason: " "),
                    ],
                    disposition: .scrap), f.context(f.staff))
        }
        #expect(tooMany?.code == .ruleViolated && tooMany?.details.map(\.field) == ["lines[0].qty", "lines[1].reason"])
        #expect(tooMany?.details.first?.message.hasPrefix("only 16 of BEAR-01") == true)
        let noNote = await #expect(throws: ErrorReply.self) {
            try await f.handlers.cartons.receiveReturn(
                ReceiveCustomerReturn(deliveryNote: "DN-X", lines: [], disposition: .scrap), f.context(f.staff))
        }
        #expect(noNote?.details.map(\.field) == ["delivery_note"])
    }
}
