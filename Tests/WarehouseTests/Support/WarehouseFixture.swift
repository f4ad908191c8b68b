import Contracts
import Foundation
import ServiceKit

@testable import Warehouse

/// The warehouse's handlers on in-memory repositories, with Production and BOMFinance answered from memory:
/// no broker, no database. The clock stands at 2026-03-01 10:00 in Jakarta; the locations given exist.
final class WarehouseFixture: Sendable {
    static let now = Date(timeIntervalSince1970: 1_772_334_000)

    let repositories = WarehouseRepositories.inMemory()
    let handlers: WarehouseHandlers
    /// Production and BOMFinance, answering from memory.
    let owners = InMemoryOwners()
    let environment = ServiceEnvironment(verifier: .trustingUnsigned, now: { WarehouseFixture.now })

    let staff = Actor(userId: "u-wh", username: "wh_staff", roles: ["WAREHOUSE_STAFF"])
    let manager = Actor(userId: "u-whm", username: "wh_manager", roles: ["WAREHOUSE_MANAGER"])
    let packer = Actor(userId: "u-pack", username: "packer", roles: ["PRODUCTION_STAFF"], department: "PACKING")
    let sewer = Actor(userId: "u-sew", username: "sewer", roles: ["PRODUCTION_STAFF"], department: "SEWING")

    /// The locations of a small factory.
    static let standardLocations: [(code: String, type: LocationType, department: Department?)] = [
        ("RM-A", .rawMaterial, nil), ("RM-B", .rawMaterial, nil), ("FLOOR-SEWING", .floor, .sewing), ("FG-MAIN", .finishedGoods, nil),
        ("QUARANTINE", .quarantine, nil), ("RETURNS", .returns, nil),
    ]

    init(
        settings: WarehouseSettings = WarehouseSettings(),
        locations: [(code: String, type: LocationType, department: Department?)] = standardLocations
    ) async throws {
        handlers = WarehouseHandlers(settings: settings, repositories: repositories)
        for (code, type, department) in locations {
            _ = try await handlers.inventory.createLocation(
                CreateLocation(code: code, name: code, type: type, department: department),
                context(manager))
        }
        try await item("FAB-RED", unit: .m, cost: 20_000)
        try await item("BEAR-01", kind: .article)
    }

    var debts: InMemoryDebtRepository { repositories.debts as! InMemoryDebtRepository }
    var heldReceipts: InMemoryHeldReceiptRepository { repositories.heldReceipts as! InMemoryHeldReceiptRepository }

    /// A message from `actor`, its effects recorded in `effects`.
    func context(_ actor: Actor?, _ effects: RecordedEffects = RecordedEffects()) -> MessageContext {
        .inMemory(actor: actor, environment: environment, effects: effects, service: "warehouse", bus: owners.bus)
    }

    /// An item the warehouse already keeps a copy of.
    func item(
        _ code: String, kind: ItemKind = .material, unit: UnitOfMeasure = .pcs, cost: Decimal? = nil,
        category: MaterialCategory = .fabric
    ) async throws {
        try await repositories.items.keep(
            code: code, kind: kind, name: code, unit: unit, standardCost: cost, active: true, version: 1,
            in: context(nil))
        if kind == .material {
            try await repositories.items.keepCategory(of: material(code, unit: unit, category: category), in: context(nil))
        }
    }

    /// A material as BOMFinance has it.
    func material(_ code: String, unit: UnitOfMeasure, category: MaterialCategory = .fabric, version: Int = 1) -> Material {
        Material(
            code: code, name: code, category: category, unit: unit, standardCost: nil, costEffectiveFrom: nil, active: true,
            version: version, updatedAt: Self.now)
    }

    /// An SPK Production knows, of BEAR-01, sewn.
    @discardableResult
    func spk(code: String = "SPK-20260301-0001", status: SPKStatus = .inProgress, order: String? = "MO-20260301-0001") -> SPK {
        let day = LocalDate(year: 2026, month: 3, day: 1)!
        let spk = SPK(
            id: UUID(), code: code, articleCode: "BEAR-01", stage: .sewing, department: .sewing, originalQty: 500, targetQty: 500,
            producedQty: 0, rejectQty: 0, progress: 0, status: status, startDate: day, dueDate: day, notes: nil, createdBy: "ppic",
            createdAt: Self.now, updatedAt: Self.now, version: 1, orderCode: order)
        owners.spks.withLock { $0.append(spk) }
        return spk
    }

    /// `qty` of `item` received into `location` by the staff.
    @discardableResult
    func receive(
        _ qty: Decimal, of item: String = "FAB-RED", into location: String = "RM-A",
        _ effects: RecordedEffects = RecordedEffects()
    ) async throws -> [Movement] {
        try await handlers.inventory.postMovement(
            PostMovement(type: .receipt, itemCode: item, qty: qty, toLocation: location), context(staff, effects))
    }

    /// The balance of `item` at `location` now.
    func balance(_ item: String = "FAB-RED", at location: String) async throws -> Decimal {
        try await handlers.inventory.balances(ListBalances(itemCode: item, location: location), context(staff)).items.first?.qty ?? 0
    }

    /// The balances of `item` at each of `locations` now.
    func balances(_ item: String = "FAB-RED", at locations: String...) async throws -> [Decimal] {
        var result: [Decimal] = []
        for location in locations { result.append(try await balance(item, at: location)) }
        return result
    }
}
