import Contracts
import Foundation
import Hummingbird

/// Inventory (locations, movements, balances, issues, material debt) and finished goods (cartons,
/// shipments, customer returns), owned by the Warehouse service.
struct WarehouseController: Sendable {
    static let operators: [Role] = [.warehouseStaff, .warehouseManager, .admin]
    static let managers: [Role] = [.warehouseManager, .admin]
    static let packingLine: [Role] = [.productionStaff, .productionSupervisor, .productionManager, .manager, .admin]

    struct IssueBody: Codable, Sendable, BoundedInput {
        var order: String?
        var spk: String?
        var department: Department?
        /// Without lines: what the order still needs.
        var lines: [IssueLine]?
        func command(returning: Bool) -> IssueMaterial {
            IssueMaterial(order: order, spk: spk, department: department, lines: lines, returnToStock: returning)
        }
        var inputProblems: [FieldError] { command(returning: false).inputProblems }
    }

    struct ScanBody: Codable, Sendable, BoundedInput {
        var cartonId: String?
        /// The scanned SSCC (a GS1-128 scan with its (00) prefix is read too).
        var barcode: String?
        var article: String?
        var qty: Int?
        var reason: String?
        func command(_ step: CartonStep) -> ScanCarton {
            ScanCarton(step: step, cartonId: cartonId, barcode: barcode, article: article, qty: qty, reason: reason)
        }
        var inputProblems: [FieldError] { command(.confirm).inputProblems }
    }

    struct ShipmentBody: Codable, Sendable {
        var destination: String
        var method: String
        /// More cartons besides the one in the path.
        var cartons: [String]?
    }

    struct LocationQuery: Decodable, Sendable, PagedQuery {
        var type: LocationType?
        var page: Int?
        var perPage: Int?
    }

    struct BalanceQuery: Decodable, Sendable, PagedQuery {
        var item: String?
        var location: String?
        var locationType: LocationType?
        var page: Int?
        var perPage: Int?
    }

    struct MovementQuery: Decodable, Sendable, PagedQuery {
        var item: String?
        var location: String?
        var type: MovementType?
        var reference: String?
        var from: LocalDate?
        var to: LocalDate?
        var page: Int?
        var perPage: Int?
    }

    struct DebtQuery: Decodable, Sendable, PagedQuery {
        var status: DebtStatus?
        var page: Int?
        var perPage: Int?
    }

    func register(inventory: APIRoutes, warehouse: APIRoutes) {
        let anyUser = Access.signedIn()
        let operators = Access.roles(Self.operators)
        inventory.add(
            .get, "locations", "Stock locations by code", access: anyUser, query: LocationQuery.self,
            reply: Listed<Location>.self
        ) { call in
            Listed(try await call.send(ListLocations(type: call.query.type, page: call.query.pageRequest)))
        }
        inventory.add(
            .post, "locations",
            "Create a location (RAW_MATERIAL, FLOOR with its department, FINISHED_GOODS, QUARANTINE, RETURNS, SHIPPING)",
            access: .roles(Self.managers), body: CreateLocation.self, reply: Location.self, status: .created
        ) {
            try await $0.send($0.body)
        }
        inventory.add(
            .get, "balances", "Balances per item × location", access: anyUser, query: BalanceQuery.self,
            reply: Listed<Balance>.self
        ) { call in
            let query = call.query
            return Listed(
                try await call.send(
                    ListBalances(
                        itemCode: query.item, location: query.location, locationType: query.locationType,
                        page: query.pageRequest)))
        }
        inventory.add(
            .get, "movements", "The movement journal, newest first", access: anyUser, query: MovementQuery.self,
            reply: Listed<Movement>.self
        ) { call in
            let query = call.query
            return Listed(
                try await call.send(
                    ListMovements(
                        itemCode: query.item, location: query.location, type: query.type,
                        reference: query.reference, from: query.from, to: query.to,
                        page: query.pageRequest)))
        }
        inventory.add(
            .post, "movements",
            "Post a RECEIPT, TRANSFER, ADJUSTMENT (reason, managers) or SCRAP (reason); or reverse a movement (reverses, reason, managers). Stock never goes negative (422 with what is available)",
            access: operators, body: PostMovement.self, reply: [Movement].self, status: .created
        ) { try await $0.send($0.body) }
        inventory.add(
            .post, "issues",
            "Issue material RAW_MATERIAL → the department's FLOOR for an order or SPK; without lines, what the order still needs. Short: 422 per material",
            access: operators, body: IssueBody.self, reply: [Movement].self, status: .created
        ) {
            try await $0.send($0.body.command(returning: false))
        }
        inventory.add(
            .post, "returns", "Return material from the floor to the raw-material store", access: operators,
            body: IssueBody.self, reply: [Movement].self, status: .created
        ) { try await $0.send($0.body.command(returning: true)) }
        inventory.add(
            .get, "material-debts", "Material debts (OPEN or SETTLED), newest first", access: anyUser, query: DebtQuery.self,
            reply: Listed<WarehouseDebt>.self
        ) { call in
            Listed(try await call.send(ListWarehouseDebts(status: call.query.status, page: call.query.pageRequest)))
        }

        warehouse.add(
            .post, "cartons", "Register a finished-goods carton: SSCC-18 and its label (ZPL and text)",
            access: .roles(Self.packingLine, note: "line staff of PACKING"), body: RegisterCarton.self, reply: Carton.self,
            status: .created
        ) { try await $0.send($0.body) }
        warehouse.add(.get, "cartons/:id", "A carton by id or SSCC", access: anyUser, reply: Carton.self) {
            try await $0.send(GetCarton(carton: try $0.parameter("id")))
        }
        for (step, summary) in [
            (CartonStep.receive, "Receive a carton by id or scanned barcode (SSCC)"),
            (.verify, "Verify a received carton's article: VERIFIED, or QUARANTINED into QUARANTINE with the discrepancy"),
            (.confirm, "Confirm a verified carton into FINISHED_GOODS (FG_RECEIPT); a qty that differs needs a reason"),
        ] {
            warehouse.add(
                .post, "finishgood/\(step.rawValue.lowercased())", summary, access: operators, body: ScanBody.self,
                reply: Carton.self
            ) { try await $0.send($0.body.command(step)) }
        }
        warehouse.add(
            .post, "finishgood/:id/shipment", "Ship confirmed cartons on a delivery note DN-YYYYMMDD-NNNN", access: operators,
            body: ShipmentBody.self, reply: DeliveryNote.self, status: .created
        ) { call in
            let first = try call.parameter("id")
            let cartons = [first] + (call.body.cartons ?? []).filter { $0 != first }
            return try await call.send(ShipCartons(cartons: cartons, destination: call.body.destination, method: call.body.method))
        }
        warehouse.add(.get, "delivery-notes/:code", "A delivery note with its packing list", access: anyUser, reply: DeliveryNote.self) {
            try await $0.send(GetDeliveryNote(code: try $0.parameter("code")))
        }
        warehouse.add(
            .post, "returns", "A customer return against a delivery note: into RETURNS, then RESTOCK, REWORK or SCRAP",
            access: operators, body: ReceiveCustomerReturn.self, reply: CustomerReturn.self, status: .created
        ) {
            try await $0.send($0.body)
        }
    }
}
