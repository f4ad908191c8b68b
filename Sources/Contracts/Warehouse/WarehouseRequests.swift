import Foundation

/// `POST /api/v1/inventory/locations` (WAREHOUSE_MANAGER, ADMIN).
public struct CreateLocation: Command {
    public static let messageType = "warehouse.location.create.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Location
    public var code: String
    public var name: String
    public var type: LocationType
    public var department: Department?
    public init(code: String, name: String, type: LocationType, department: Department? = nil) {
        self.code = code
        self.name = name
        self.type = type
        self.department = department
    }
    public var inputProblems: [FieldError] { [] }
}

/// `GET /api/v1/inventory/locations`
public struct ListLocations: Query {
    public static let messageType = "warehouse.location.list.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Page<Location>
    public var type: LocationType?
    public var page: PageRequest
    public init(type: LocationType? = nil, page: PageRequest = PageRequest()) {
        self.type = type
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `POST /api/v1/inventory/movements`: RECEIPT (to), TRANSFER (from, to), ADJUSTMENT (from or to,
/// reason, managers), SCRAP (from, reason); or, with `reverses`, the reversal of an earlier movement.
public struct PostMovement: Command {
    public static let messageType = "warehouse.movement.post.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = [Movement]
    public var type: MovementType?
    public var itemCode: String?
    public var qty: Decimal?
    public var fromLocation: String?
    public var toLocation: String?
    public var reference: String?
    public var reason: String?
    public var reverses: UUID?
    public init(
        type: MovementType?, itemCode: String?, qty: Decimal?, fromLocation: String? = nil, toLocation: String? = nil,
        reference: String? = nil, reason: String? = nil, reverses: UUID? = nil
    ) {
        self.type = type
        self.itemCode = itemCode
        self.qty = qty
        self.fromLocation = fromLocation
        self.toLocation = toLocation
        self.reference = reference
        self.reason = reason
        self.reverses = reverses
    }
    public var inputProblems: [FieldError] { [qty.flatMap { WarehouseBounds.checkQuantity($0, "qty") }].compactMap { $0 } }
}

public struct IssueLine: Codable, Sendable, Hashable {
    public var materialCode: String
    public var qty: Decimal
    public init(materialCode: String, qty: Decimal) {
        self.materialCode = materialCode
        self.qty = qty
    }
}

/// `POST /api/v1/inventory/issues {order | spk, lines?, department?}`: RAW_MATERIAL → the department's
/// FLOOR; without lines, what BOMFinance says the order still needs. `returnToStock` makes it a
/// RETURN_FROM_FLOOR (`POST /api/v1/inventory/returns`).
public struct IssueMaterial: Command {
    public static let messageType = "warehouse.material.issue.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = [Movement]
    public var order: String?
    public var spk: String?
    public var department: Department?
    public var lines: [IssueLine]?
    public var returnToStock: Bool
    public init(order: String? = nil, spk: String? = nil, department: Department? = nil, lines: [IssueLine]?, returnToStock: Bool = false) {
        self.order = order
        self.spk = spk
        self.department = department
        self.lines = lines
        self.returnToStock = returnToStock
    }
    public var inputProblems: [FieldError] {
        var problems = (lines ?? []).enumerated().compactMap { WarehouseBounds.checkQuantity($1.qty, "lines[\($0)].qty") }
        if (lines?.count ?? 0) > 200 { problems.append(FieldError(field: "lines", message: "at most 200 lines")) }
        return problems
    }
}

/// `GET /api/v1/inventory/balances`
public struct ListBalances: Query {
    public static let messageType = "warehouse.balance.list.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Page<Balance>
    public var itemCode: String?
    public var location: String?
    public var locationType: LocationType?
    public var page: PageRequest
    public init(itemCode: String? = nil, location: String? = nil, locationType: LocationType? = nil, page: PageRequest = PageRequest()) {
        self.itemCode = itemCode
        self.location = location
        self.locationType = locationType
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `GET /api/v1/inventory/movements`: the journal, newest first.
public struct ListMovements: Query {
    public static let messageType = "warehouse.movement.list.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Page<Movement>
    public var itemCode: String?
    public var location: String?
    public var type: MovementType?
    public var reference: String?
    public var from: LocalDate?
    public var to: LocalDate?
    public var page: PageRequest
    public init(
        itemCode: String? = nil, location: String? = nil, type: MovementType? = nil, reference: String? = nil,
        from: LocalDate? = nil, to: LocalDate? = nil, page: PageRequest = PageRequest()
    ) {
        self.itemCode = itemCode
        self.location = location
        self.type = type
        self.reference = reference
        self.from = from
        self.to = to
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems + [InputRules.dateOrder(from, "from", to, "to")].compactMap { $0 } }
}

/// `GET /api/v1/inventory/material-debts?status=`
public struct ListWarehouseDebts: Query {
    public static let messageType = "warehouse.material-debt.list.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Page<WarehouseDebt>
    public var status: DebtStatus?
    public var page: PageRequest
    public init(status: DebtStatus? = nil, page: PageRequest = PageRequest()) {
        self.status = status
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `POST /api/v1/warehouse/cartons` (the packing line).
public struct RegisterCarton: Command {
    public static let messageType = "warehouse.carton.register.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Carton
    public var spk: String
    public var articleCode: String
    public var qty: Int
    public init(spk: String, articleCode: String, qty: Int) {
        self.spk = spk
        self.articleCode = articleCode
        self.qty = qty
    }
    public var inputProblems: [FieldError] { [InputRules.check(qty, "qty", in: 1...100_000)].compactMap { $0 } }
}

/// The steps of a carton in the finished-goods store.
public enum CartonStep: String, Codable, Sendable, CaseIterable { case receive, verify, confirm }

/// `POST /api/v1/warehouse/finishgood/receive|verify|confirm`.
public struct ScanCarton: Command {
    public static let messageType = "warehouse.carton.scan.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Carton
    public var step: CartonStep
    public var cartonId: String?
    public var barcode: String?
    /// verify: the article found in the carton.
    public var article: String?
    /// confirm: the quantity counted.
    public var qty: Int?
    public var reason: String?
    public init(
        step: CartonStep, cartonId: String? = nil, barcode: String? = nil, article: String? = nil, qty: Int? = nil,
        reason: String? = nil
    ) {
        self.step = step
        self.cartonId = cartonId
        self.barcode = barcode
        self.article = article
        self.qty = qty
        self.reason = reason
    }
    public var inputProblems: [FieldError] { [qty.flatMap { InputRules.check($0, "qty", in: 0...100_000) }].compactMap { $0 } }
}

/// `GET /api/v1/warehouse/cartons/{id}` (id or SSCC).
public struct GetCarton: Query {
    public static let messageType = "warehouse.carton.get.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = Carton
    public var carton: String
    public init(carton: String) { self.carton = carton }
    public var inputProblems: [FieldError] { [] }
}

/// `POST /api/v1/warehouse/finishgood/{id}/shipment {destination, method, cartons?}`.
public struct ShipCartons: Command {
    public static let messageType = "warehouse.shipment.create.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = DeliveryNote
    public var cartons: [String]
    public var destination: String
    public var method: String
    public init(cartons: [String], destination: String, method: String) {
        self.cartons = cartons
        self.destination = destination
        self.method = method
    }
    public var inputProblems: [FieldError] {
        cartons.count > 1000 ? [FieldError(field: "cartons", message: "at most 1000 cartons")] : []
    }
}

/// `GET /api/v1/warehouse/delivery-notes/{code}`.
public struct GetDeliveryNote: Query {
    public static let messageType = "warehouse.delivery-note.get.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = DeliveryNote
    public var code: String
    public init(code: String) { self.code = code }
    public var inputProblems: [FieldError] { [] }
}

/// `POST /api/v1/warehouse/returns`.
public struct ReceiveCustomerReturn: Command {
    public static let messageType = "warehouse.customer-return.receive.v1"
    public static let owner = ServiceName.warehouse
    public typealias Reply = CustomerReturn
    public var deliveryNote: String
    public var lines: [CustomerReturnLine]
    public var disposition: ReturnDisposition
    public init(deliveryNote: String, lines: [CustomerReturnLine], disposition: ReturnDisposition) {
        self.deliveryNote = deliveryNote
        self.lines = lines
        self.disposition = disposition
    }
    public var inputProblems: [FieldError] {
        var problems = lines.enumerated().compactMap { InputRules.check($1.qty, "lines[\($0)].qty", in: 1...100_000) }
        if lines.isEmpty || lines.count > 1000 { problems.append(FieldError(field: "lines", message: "1 to 1000 lines")) }
        return problems
    }
}

/// The bounds of the warehouse's decimal quantities where they enter (the unit's own scale is the
/// service's check, once it knows the item).
public enum WarehouseBounds {
    /// The finest any unit allows (UnitOfMeasure.scale).
    public static let finestScale = 3

    public static func checkQuantity(_ value: Decimal, _ field: String) -> FieldError? {
        BoundsRecorder.current?.record(
            field, 0, NSDecimalNumber(decimal: DecimalRules.maxQuantity).doubleValue, whole: false,
            scale: finestScale, exclusiveMinimum: true)
        if value.isNaN || value <= 0 || value > DecimalRules.maxQuantity {
            return FieldError(field: field, message: "must be greater than 0 and at most \(DecimalRules.maxQuantity)")
        }
        return DecimalRules.fits(value, scale: finestScale)
            ? nil
            : FieldError(field: field, message: "must have at most \(finestScale) decimals")
    }
}
