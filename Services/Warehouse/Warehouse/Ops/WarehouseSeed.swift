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
        ("FABRIC-PLUSH-BRN", "Plush fabric, brown", .m, 42_500, 1200),
        ("FABRIC-MINKY-WHT", "Minky fabric, white", .m, 38_000, 800),
        ("FILL-DACRON", "Dacron filling", .kg, 31_000, 450.5),
        ("THREAD-POLY-BRN", "Polyester thread, brown", .cone, 12_000, 240),
        ("EYE-SAFETY-12", "Safety eyes 12 mm", .pair, 350, 20_000),
        ("LABEL-CARE", "Care label", .pcs, 120, 15_000),
        ("CARTON-60", "Shipping carton 60 cm", .pcs, 9_500, 600),
    ]

    static let command = OpsCommand(summary: "seed locations and opening stock") { client, _, logger in
        try await client.transaction(logger: logger) { connection in
            let store = LedgerStore(connection: connection, logger: logger)
            var created = 0, received = 0
            for (code, name, type, department) in locations where try await store.location(code) == nil {
                try await store.insert(Location(id: UUID(), code: code, name: name, type: type, department: department, createdAt: Date()))
                created += 1
            }
            let ledger = Ledger(store: store, actor: .system("warehouse-seed"))
            for material in materials {
                if try await store.item(material.code) == nil {
                    try await store.keep(code: material.code, kind: .material, name: material.name, unit: material.unit,
                                         standardCost: material.cost, active: true, version: 0)
                }
                let page = try await store.movements(ListMovements(itemCode: material.code, page: PageRequest(page: 1, perPage: 1)))
                guard page.total == 0, let item = try await store.item(material.code) else { continue }
                _ = try await ledger.post([NewMovement(type: .receipt, item: item, qty: material.opening, from: nil, to: "RM-MAIN",
                                                       reference: "OPENING-STOCK", reason: "opening stock")])
                received += 1
            }
            return ("seeded \(created) location(s) and opening stock of \(received) material(s)", Int32(0))
        }
    }
}
