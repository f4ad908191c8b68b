import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// `./scripts/run ops warehouse seed`: a development system's locations and a few materials'
/// opening stock. Materials belong to BOMFinance; until it has told the warehouse about them they
/// are put into the warehouse's own item copy at version 0, so BOMFinance's first event replaces
/// them. Repeatable: what exists is left alone.
enum WarehouseSeed {
    static let locations: [(String, String, LocationType, Department?)] = [
        ("RM-MAIN", "Raw material store", .rawMaterial, nil),
        ("FLOOR-CUTTING", "Cutting floor", .floor, .cutting),
        ("FLOOR-EMBROIDERY", "Embroidery floor", .floor, .embroidery),
        ("FLOOR-SEWING", "Sewing floor", .floor, .sewing),
        ("FLOOR-FINISHING", "Finishing floor", .floor, .finishing),
        ("FLOOR-PACKING", "Packing floor", .floor, .packing),
        ("FG-MAIN", "Finished goods store", .finishedGoods, nil),
        ("QUARANTINE", "Quarantine cage", .quarantine, nil),
        ("RETURNS", "Customer returns bay", .returns, nil),
        ("SHIPPING", "Shipping dock", .shipping, nil),
    ]

    static let materials: [(code: String, name: String, unit: UnitOfMeasure, cost: Decimal, opening: Decimal)] = [
        // The demo materials ./scripts/run creates in BOMFinance (its copy wins once its events arrive).
        ("FAB-PLUSH-BRN", "FAB-PLUSH-BRN", .m, 42_000, 1200),
        ("FAB-FELT-WHT", "FAB-FELT-WHT", .m, 18_000, 300),
        ("FIL-DACRON", "FIL-DACRON", .kg, 38_000, 450.5),
        ("THR-POLY-BLK", "THR-POLY-BLK", .cone, 21_000, 240),
        ("ACC-EYE-12MM", "ACC-EYE-12MM", .pcs, 650, 20_000),
        ("PKG-POLYBAG", "PKG-POLYBAG", .pcs, 300, 15_000),
    ]

    static let command = OpsCommand(summary: "seed locations and opening stock") { client, _, logger in
        try await client.transaction(logger: logger) { connection in
            let context = MessageContext.ops("seed", connection: connection, service: ServiceName.warehouse.rawValue, logger: logger)
            let (store, items) = (PostgresLedgerRepository(), PostgresItemRepository())
            var created = 0
            var received = 0
            for (code, name, type, department) in locations where try await store.location(code, in: context) == nil {
                try await store.insert(
                    Location(id: UUID(), code: code, name: name, type: type, department: department, createdAt: context.now),
                    in: context)
                created += 1
            }
            let ledger = Ledger(store, context)
            for material in materials {
                if try await items.item(material.code, in: context) == nil {
                    try await items.keep(
                        code: material.code, kind: .material, name: material.name, unit: material.unit,
                        standardCost: material.cost, active: true, version: 0, in: context)
                }
                let page = try await store.movements(ListMovements(itemCode: material.code, page: PageRequest(page: 1, perPage: 1)), in: context)
                guard page.total == 0, let item = try await items.item(material.code, in: context) else { continue }
                _ = try await ledger.post([
                    NewMovement(
                        type: .receipt, item: item, qty: material.opening, from: nil, to: "RM-MAIN",
                        reference: "OPENING-STOCK", reason: "opening stock")
                ])
                received += 1
            }
            return ("seeded \(created) location(s) and opening stock of \(received) material(s)", Int32(0))
        }
    }
}
