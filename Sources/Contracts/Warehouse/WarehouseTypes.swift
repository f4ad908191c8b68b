import Foundation

/// What a stock location is for. FLOOR locations belong to one production department.
public enum LocationType: String, Sendable, CaseInsensitiveEnum {
    case rawMaterial = "RAW_MATERIAL"
    case floor = "FLOOR"
    case finishedGoods = "FINISHED_GOODS"
    case quarantine = "QUARANTINE"
    case returns = "RETURNS"
    case shipping = "SHIPPING"
}

public struct Location: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var name: String
    public var type: LocationType
    public var department: Department?
    public var createdAt: Date
    public init(id: UUID, code: String, name: String, type: LocationType, department: Department?, createdAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.type = type
        self.department = department
        self.createdAt = createdAt
    }
}

/// The kinds of entries of the movement ledger.
public enum MovementType: String, Sendable, CaseInsensitiveEnum {
    case receipt = "RECEIPT"
    case issue = "ISSUE"
    case returnFromFloor = "RETURN_FROM_FLOOR"
    case transfer = "TRANSFER"
    case adjustment = "ADJUSTMENT"
    case scrap = "SCRAP"
    case debtIssue = "DEBT_ISSUE"
    /// Records that a receipt paid (part of) a debt back; it moves no stock itself.
    case debtSettlement = "DEBT_SETTLEMENT"
    case fgReceipt = "FG_RECEIPT"
    case shipment = "SHIPMENT"
    case customerReturn = "CUSTOMER_RETURN"
    /// Rejected material sent back to its supplier (an NCR decided RETURN_TO_SUPPLIER): it leaves QUARANTINE.
    case returnToSupplier = "RETURN_TO_SUPPLIER"
}

/// Whether an item is a material (BOMFinance's materials) or an article (finished goods).
public enum ItemKind: String, Sendable, CaseInsensitiveEnum {
    case material = "MATERIAL"
    case article = "ARTICLE"
}

/// One entry of the append-only ledger: `qty` (always positive) left `from` and/or arrived at `to`.
public struct Movement: Codable, Sendable, Hashable {
    public var id: UUID
    /// Ledger order: rises with every movement.
    public var sequence: Int64
    public var type: MovementType
    public var itemCode: String
    public var itemKind: ItemKind
    public var unit: UnitOfMeasure
    public var qty: Decimal
    public var fromLocation: String?
    public var toLocation: String?
    public var reference: String?
    public var unitCost: Decimal?
    public var reason: String?
    /// The movement this one reverses, if it is a correction.
    public var reverses: UUID?
    public var actor: String
    public var occurredAt: Date
    public init(
        id: UUID, sequence: Int64, type: MovementType, itemCode: String, itemKind: ItemKind, unit: UnitOfMeasure, qty: Decimal,
        fromLocation: String?, toLocation: String?, reference: String?, unitCost: Decimal?, reason: String?,
        reverses: UUID?, actor: String, occurredAt: Date
    ) {
        self.id = id
        self.sequence = sequence
        self.type = type
        self.itemCode = itemCode
        self.itemKind = itemKind
        self.unit = unit
        self.qty = qty
        self.fromLocation = fromLocation
        self.toLocation = toLocation
        self.reference = reference
        self.unitCost = unitCost
        self.reason = reason
        self.reverses = reverses
        self.actor = actor
        self.occurredAt = occurredAt
    }
}

/// What one location holds of one item (negative only under an approved material debt).
public struct Balance: Codable, Sendable, Hashable {
    public var itemCode: String
    public var itemKind: ItemKind
    public var unit: UnitOfMeasure
    public var location: String
    public var locationType: LocationType
    public var qty: Decimal
    public var updatedAt: Date
    public init(
        itemCode: String, itemKind: ItemKind, unit: UnitOfMeasure, location: String, locationType: LocationType, qty: Decimal,
        updatedAt: Date
    ) {
        self.itemCode = itemCode
        self.itemKind = itemKind
        self.unit = unit
        self.location = location
        self.locationType = locationType
        self.qty = qty
        self.updatedAt = updatedAt
    }
}

public enum DebtStatus: String, Sendable, CaseInsensitiveEnum {
    case open = "OPEN"
    case settled = "SETTLED"
}

/// Material issued under an approved material-debt request, and how much of it receipts paid back.
public struct WarehouseDebt: Codable, Sendable, Hashable {
    public var id: UUID
    public var approvalId: UUID
    public var approvalCode: String
    public var materialCode: String
    public var unit: UnitOfMeasure
    public var location: String
    public var spkCode: String?
    public var qty: Decimal
    public var settledQty: Decimal
    public var openQty: Decimal
    public var status: DebtStatus
    public var issueMovementId: UUID
    public var openedAt: Date
    public var settledAt: Date?
    public init(
        id: UUID, approvalId: UUID, approvalCode: String, materialCode: String, unit: UnitOfMeasure, location: String,
        spkCode: String?, qty: Decimal, settledQty: Decimal, status: DebtStatus, issueMovementId: UUID, openedAt: Date,
        settledAt: Date?
    ) {
        self.id = id
        self.approvalId = approvalId
        self.approvalCode = approvalCode
        self.materialCode = materialCode
        self.unit = unit
        self.location = location
        self.spkCode = spkCode
        self.qty = qty
        self.settledQty = settledQty
        self.openQty = qty - settledQty
        self.status = status
        self.issueMovementId = issueMovementId
        self.openedAt = openedAt
        self.settledAt = settledAt
    }
}

/// REGISTERED (packing line) → RECEIVED → VERIFIED → CONFIRMED → SHIPPED; QUARANTINED from verify.
public enum CartonStatus: String, Sendable, CaseInsensitiveEnum {
    case registered = "REGISTERED"
    case received = "RECEIVED"
    case verified = "VERIFIED"
    case quarantined = "QUARANTINED"
    case confirmed = "CONFIRMED"
    case shipped = "SHIPPED"
    /// Scrapped from QUARANTINE by an NCR's SCRAP decision.
    case scrapped = "SCRAPPED"
}

public struct Carton: Codable, Sendable, Hashable {
    public var id: UUID
    public var sscc: String
    public var spkCode: String
    public var orderCode: String?
    public var articleCode: String
    public var qty: Int
    public var status: CartonStatus
    public var location: String?
    public var confirmedQty: Int?
    /// Why it was quarantined, or why the confirmed quantity differs from the registered one.
    public var discrepancy: String?
    public var deliveryNote: String?
    public var registeredBy: String
    public var registeredAt: Date
    public var updatedAt: Date
    /// ZPL for a Zebra printer, and the same label as plain text.
    public var labelZpl: String
    public var labelText: String
    public init(
        id: UUID, sscc: String, spkCode: String, orderCode: String?, articleCode: String, qty: Int, status: CartonStatus,
        location: String?, confirmedQty: Int?, discrepancy: String?, deliveryNote: String?, registeredBy: String,
        registeredAt: Date, updatedAt: Date, labelZpl: String, labelText: String
    ) {
        self.id = id
        self.sscc = sscc
        self.spkCode = spkCode
        self.orderCode = orderCode
        self.articleCode = articleCode
        self.qty = qty
        self.status = status
        self.location = location
        self.confirmedQty = confirmedQty
        self.discrepancy = discrepancy
        self.deliveryNote = deliveryNote
        self.registeredBy = registeredBy
        self.registeredAt = registeredAt
        self.updatedAt = updatedAt
        self.labelZpl = labelZpl
        self.labelText = labelText
    }
}

public struct PackingListLine: Codable, Sendable, Hashable {
    public var cartonId: UUID
    public var sscc: String
    public var articleCode: String
    public var qty: Int
    public init(cartonId: UUID, sscc: String, articleCode: String, qty: Int) {
        self.cartonId = cartonId
        self.sscc = sscc
        self.articleCode = articleCode
        self.qty = qty
    }
}

/// `DN-YYYYMMDD-NNNN`: what left the factory together, with its packing list.
public struct DeliveryNote: Codable, Sendable, Hashable {
    public var code: String
    public var destination: String
    public var method: String
    public var cartons: [PackingListLine]
    public var totalQty: Int
    public var shippedBy: String
    public var shippedAt: Date
    public init(code: String, destination: String, method: String, cartons: [PackingListLine], shippedBy: String, shippedAt: Date) {
        self.code = code
        self.destination = destination
        self.method = method
        self.cartons = cartons
        self.totalQty = cartons.reduce(0) { $0 + $1.qty }
        self.shippedBy = shippedBy
        self.shippedAt = shippedAt
    }
}

public enum ReturnDisposition: String, Sendable, CaseInsensitiveEnum {
    case restock = "RESTOCK"
    case rework = "REWORK"
    case scrap = "SCRAP"
}

public struct CustomerReturnLine: Codable, Sendable, Hashable {
    public var carton: String?
    public var article: String?
    public var qty: Int
    public var reason: String
    public init(carton: String?, article: String?, qty: Int, reason: String) {
        self.carton = carton
        self.article = article
        self.qty = qty
        self.reason = reason
    }
}

public struct CustomerReturn: Codable, Sendable, Hashable {
    public var id: UUID
    public var deliveryNote: String
    public var disposition: ReturnDisposition
    public var lines: [ReturnedLine]
    public var receivedBy: String
    public var receivedAt: Date
    public init(
        id: UUID, deliveryNote: String, disposition: ReturnDisposition, lines: [ReturnedLine], receivedBy: String,
        receivedAt: Date
    ) {
        self.id = id
        self.deliveryNote = deliveryNote
        self.disposition = disposition
        self.lines = lines
        self.receivedBy = receivedBy
        self.receivedAt = receivedAt
    }
}

public struct ReturnedLine: Codable, Sendable, Hashable {
    public var articleCode: String
    public var cartonId: UUID?
    public var qty: Int
    public var reason: String
    public init(articleCode: String, cartonId: UUID?, qty: Int, reason: String) {
        self.articleCode = articleCode
        self.cartonId = cartonId
        self.qty = qty
        self.reason = reason
    }
}
