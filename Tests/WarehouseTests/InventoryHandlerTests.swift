import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Warehouse

/// Locations, posted movements, reversals, balances and the journal, on in-memory repositories.
@Suite struct InventoryHandlerTests {
    @Test func aManagerCreatesALocationOnce() async throws {
        let f = try await WarehouseFixture()
        let effects = RecordedEffects()
        let location = try await f.handlers.inventory.createLocation(
            CreateLocation(code: " rm-c ", name: " Annex ", type: .rawMaterial),
            f.context(f.manager, effects))
        #expect(location.code == "RM-C" && location.name == "Annex" && location.createdAt == WarehouseFixture.now)
        #expect(effects.auditRows.map { "\($0.entity) \($0.entity_id) \($0.action)" } == ["location RM-C create"])
        let again = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.createLocation(CreateLocation(code: "RM-C", name: "x", type: .rawMaterial), f.context(f.manager))
        }
        #expect(again?.code == .conflict)
    }

    @Test func aLocationIsCheckedBeforeItIsCreated() async throws {
        let f = try await WarehouseFixture()
        let staff = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.createLocation(CreateLocation(code: "X", name: "X", type: .returns), f.context(f.staff))
        }
        #expect(staff?.code == .forbidden)
        let floor = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.createLocation(CreateLocation(code: " ", name: "", type: .floor), f.context(f.manager))
        }
        #expect(floor?.details.map(\.field) == ["code", "name", "department"])
        let store = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.createLocation(
                CreateLocation(code: "RM-Z", name: "Z", type: .rawMaterial, department: .sewing),
                f.context(f.manager))
        }
        #expect(store?.details.map(\.field) == ["department"])
    }

    @Test func locationsListByTypeInCodeOrder() async throws {
        let f = try await WarehouseFixture()
        let raw = try await f.handlers.inventory.locations(ListLocations(type: .rawMaterial), f.context(f.staff))
        #expect(raw.items.map(\.code) == ["RM-A", "RM-B"] && raw.total == 2)
        let page = try await f.handlers.inventory.locations(ListLocations(page: PageRequest(page: 2, perPage: 4)), f.context(f.staff))
        #expect(page.items.map(\.code) == ["RM-A", "RM-B"] && page.total == 6)
    }

    @Test func aReceiptAddsStockAndIsJournalled() async throws {
        let f = try await WarehouseFixture()
        let effects = RecordedEffects()
        let posted = try await f.receive(120.5, into: "rm-a", effects)
        #expect(posted.map(\.type) == [.receipt] && posted[0].toLocation == "RM-A" && posted[0].unitCost == 20_000)
        #expect(posted[0].actor == "wh_staff" && posted[0].unit == .m)
        #expect(try await f.balance(at: "RM-A") == 120.5)
        #expect(effects.auditRows.map(\.action) == ["receipt"])
        let journal = try await f.handlers.inventory.movements(ListMovements(itemCode: "fab-red"), f.context(f.staff))
        #expect(journal.items.map(\.id) == posted.map(\.id))
    }

    @Test func stockCannotGoBelowZero() async throws {
        let f = try await WarehouseFixture()
        try await f.receive(10)
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.postMovement(
                PostMovement(
                    type: .transfer, itemCode: "FAB-RED", qty: 11, fromLocation: "RM-A",
                    toLocation: "RM-B"), f.context(f.staff))
        }
        #expect(error?.code == .ruleViolated && error?.details.first?.message == "only 10 available at RM-A")
        #expect(try await f.balance(at: "RM-A") == 10)
        #expect(try await f.handlers.inventory.movements(ListMovements(), f.context(f.staff)).total == 1)
    }

    @Test func aTransferMovesStockBetweenLocations() async throws {
        let f = try await WarehouseFixture()
        try await f.receive(10)
        _ = try await f.handlers.inventory.postMovement(
            PostMovement(
                type: .transfer, itemCode: "FAB-RED", qty: 4, fromLocation: "RM-A",
                toLocation: "RM-B"), f.context(f.staff))
        #expect(try await f.balances(at: "RM-A", "RM-B") == [6, 4])
        let rmB = try await f.handlers.inventory.balances(ListBalances(locationType: .rawMaterial), f.context(f.staff))
        #expect(rmB.items.map(\.location) == ["RM-A", "RM-B"])
    }

    @Test func movementsAreCheckedForTheirShapeUnitAndPlaces() async throws {
        let f = try await WarehouseFixture()
        try await f.item("BUTTON", unit: .pcs)
        let post = { (command: PostMovement, actor: Actor) in try await f.handlers.inventory.postMovement(command, f.context(actor)) }
        let fraction = await #expect(throws: ErrorReply.self) {
            try await post(PostMovement(type: .receipt, itemCode: "BUTTON", qty: 2.5, toLocation: "RM-A"), f.staff)
        }
        #expect(fraction?.code == .validationFailed && fraction?.details.map(\.field) == ["qty"])
        let nowhere = await #expect(throws: ErrorReply.self) {
            try await post(PostMovement(type: .receipt, itemCode: "BUTTON", qty: 2, toLocation: "NOWHERE"), f.staff)
        }
        #expect(nowhere?.code == .ruleViolated && nowhere?.details.map(\.field) == ["to_location"])
        let adjustment = await #expect(throws: ErrorReply.self) {
            try await post(PostMovement(type: .adjustment, itemCode: "BUTTON", qty: 2, toLocation: "RM-A", reason: "count"), f.staff)
        }
        #expect(adjustment?.code == .forbidden)
        let unknown = await #expect(throws: ErrorReply.self) {
            try await post(PostMovement(type: .receipt, itemCode: "NO-SUCH", qty: 2, toLocation: "RM-A"), f.staff)
        }
        #expect(unknown?.code == .ruleViolated && unknown?.details.map(\.field) == ["item_code"])
    }

    @Test func anItemNotKeptYetIsAskedOfBOMFinanceOnce() async throws {
        let f = try await WarehouseFixture()
        f.owners.materials.withLock { $0.append(f.material("THREAD-BLK", unit: .cone)) }
        _ = try await f.receive(5, of: "thread-blk")
        f.owners.materials.withLock { $0.removeAll() }
        _ = try await f.receive(5, of: "THREAD-BLK")
        #expect(try await f.balance("THREAD-BLK", at: "RM-A") == 10)
    }

    @Test func aManagerReversesAMovementOnce() async throws {
        let f = try await WarehouseFixture()
        let receipt = try await f.receive(10)[0]
        let missingReason = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.postMovement(PostMovement(type: nil, itemCode: nil, qty: nil, reverses: receipt.id), f.context(f.manager))
        }
        #expect(missingReason?.details.map(\.field) == ["reason"])
        let effects = RecordedEffects()
        let reversal = try await f.handlers.inventory.postMovement(
            PostMovement(type: nil, itemCode: nil, qty: nil, reason: "typo", reverses: receipt.id), f.context(f.manager, effects))
        #expect(reversal.map(\.reverses) == [receipt.id] && reversal[0].fromLocation == "RM-A" && reversal[0].toLocation == nil)
        #expect(try await f.balance(at: "RM-A") == 0)
        #expect(effects.auditRows.map(\.action) == ["reverse \(receipt.id)"])
        try await f.receive(10)  // stock enough for a second reversal: only its uniqueness refuses it
        let twice = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.postMovement(
                PostMovement(type: nil, itemCode: nil, qty: nil, reason: "again", reverses: receipt.id),
                f.context(f.manager))
        }
        #expect(twice == .alreadyReversed(receipt.id))
        let ofReversal = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.postMovement(
                PostMovement(type: nil, itemCode: nil, qty: nil, reason: "x", reverses: reversal[0].id),
                f.context(f.manager))
        }
        #expect(ofReversal?.details.map(\.field) == ["reverses"])
        let byStaff = await #expect(throws: ErrorReply.self) {
            try await f.handlers.inventory.postMovement(
                PostMovement(type: nil, itemCode: nil, qty: nil, reason: "x", reverses: receipt.id),
                f.context(f.staff))
        }
        #expect(byStaff?.code == .forbidden)
    }

    @Test func theJournalFiltersAndPagesNewestFirst() async throws {
        let f = try await WarehouseFixture()
        let first = try await f.receive(1)[0]
        let second = try await f.receive(2, into: "RM-B")[0]
        let third = try await f.receive(3)[0]
        let atA = try await f.handlers.inventory.movements(ListMovements(location: "rm-a"), f.context(f.staff))
        #expect(atA.items.map(\.id) == [third.id, first.id])
        let paged = try await f.handlers.inventory.movements(ListMovements(page: PageRequest(page: 2, perPage: 2)), f.context(f.staff))
        #expect(paged.items.map(\.id) == [first.id] && paged.total == 3)
        let day = LocalDate(year: 2026, month: 3, day: 1)!
        #expect(try await f.handlers.inventory.movements(ListMovements(from: day, to: day), f.context(f.staff)).total == 3)
        #expect(try await f.handlers.inventory.movements(ListMovements(location: "RM-B"), f.context(f.staff)).items.map(\.id) == [second.id])
        #expect(try await f.handlers.inventory.movements(ListMovements(type: .issue), f.context(f.staff)).items.isEmpty)
    }

    @Test func itemCopiesFollowBOMFinanceNewestVersionFirst() async throws {
        let f = try await WarehouseFixture()
        try await f.handlers.inventory.keep(f.material("FAB-RED", unit: .yd, version: 3), f.context(nil))
        try await f.handlers.inventory.keep(f.material("FAB-RED", unit: .kg, version: 2), f.context(nil))
        #expect(try await f.repositories.items.item("FAB-RED", in: f.context(nil))?.unit == .yd)
        let article = Article(
            code: "cat-02", name: "Cat", customer: nil, route: [.sewing], labourMinutes: [], active: true, version: 1,
            updatedAt: WarehouseFixture.now)
        try await f.handlers.inventory.keep(article, f.context(nil))
        #expect(try await f.repositories.items.item("CAT-02", in: f.context(nil)) == ItemCopy(code: "CAT-02", kind: .article, unit: .pcs))
    }
}
