import Foundation

/// A receipt paid back (part of) a material debt. Approval shows its request PARTIALLY_SETTLED or
/// SETTLED; PPIC stops warning about it once settled.
public struct MaterialDebtSettled: Event {
    public static let messageType = "warehouse.material-debt.settled.v1"
    public var debtId: UUID
    public var approvalId: UUID
    public var approvalCode: String
    public var materialCode: String
    /// What this receipt settled, and what the debt still owes after it.
    public var settledQty: Decimal
    public var openQty: Decimal
    public var fullySettled: Bool
    public var movementId: UUID
    public var occurredAt: Date
    public init(
        debtId: UUID, approvalId: UUID, approvalCode: String, materialCode: String, settledQty: Decimal, openQty: Decimal,
        fullySettled: Bool, movementId: UUID, occurredAt: Date
    ) {
        self.debtId = debtId
        self.approvalId = approvalId
        self.approvalCode = approvalCode
        self.materialCode = materialCode
        self.settledQty = settledQty
        self.openQty = openQty
        self.fullySettled = fullySettled
        self.movementId = movementId
        self.occurredAt = occurredAt
    }
}

/// A material debt was opened (its DEBT_ISSUE happened); PPIC watches how long it stays open.
public struct MaterialDebtOpened: Event {
    public static let messageType = "warehouse.material-debt.opened.v1"
    public var debt: WarehouseDebt
    public init(debt: WarehouseDebt) { self.debt = debt }
}

/// A carton entered finished goods (FG_RECEIPT). `discrepancy` is set when the counted quantity
/// differs from the registered one (with the reason given).
public struct CartonConfirmed: Event {
    public static let messageType = "warehouse.carton.confirmed.v1"
    public var cartonId: UUID
    public var sscc: String
    public var articleCode: String
    public var qty: Int
    public var registeredQty: Int
    public var spkCode: String
    public var orderCode: String?
    public var discrepancy: String?
    public var occurredAt: Date
    public init(
        cartonId: UUID, sscc: String, articleCode: String, qty: Int, registeredQty: Int, spkCode: String, orderCode: String?,
        discrepancy: String?, occurredAt: Date
    ) {
        self.cartonId = cartonId
        self.sscc = sscc
        self.articleCode = articleCode
        self.qty = qty
        self.registeredQty = registeredQty
        self.spkCode = spkCode
        self.orderCode = orderCode
        self.discrepancy = discrepancy
        self.occurredAt = occurredAt
    }
}

/// A carton's content did not match at verification; it sits in QUARANTINE.
public struct CartonQuarantined: Event {
    public static let messageType = "warehouse.carton.quarantined.v1"
    public var carton: Carton
    public init(carton: Carton) { self.carton = carton }
}

/// Cartons left on a delivery note.
public struct ShipmentDispatched: Event {
    public static let messageType = "warehouse.shipment.dispatched.v1"
    public var deliveryNote: DeliveryNote
    public init(deliveryNote: DeliveryNote) { self.deliveryNote = deliveryNote }
}

/// Goods came back from a customer; BOMFinance values them, PPIC counts them.
public struct CustomerReturnReceived: Event {
    public static let messageType = "warehouse.customer-return.received.v1"
    public var customerReturn: CustomerReturn
    public init(customerReturn: CustomerReturn) { self.customerReturn = customerReturn }
}

/// A quarantined carton may be confirmed again (its re-inspection passed, or its NCR was decided USE_AS_IS):
/// it is VERIFIED, still in QUARANTINE until confirming moves it to FINISHED_GOODS.
public struct CartonReleased: Event {
    public static let messageType = "warehouse.carton.released.v1"
    public var carton: Carton
    /// The lot that passed, or the NCR whose concession released it.
    public var reason: String
    public init(carton: Carton, reason: String) {
        self.carton = carton
        self.reason = reason
    }
}

/// What Warehouse did with the stock of an NCR's decision (SCRAP, RETURN_TO_SUPPLIER, USE_AS_IS), once per
/// decision. `applied` false: nothing moved (not enough stock where the NCR says, say) and `message` says why;
/// Quality shows it on the NCR. BOMFinance values the SCRAP movements.
public struct NCRStockDisposed: Event {
    public static let messageType = "warehouse.ncr-stock.disposed.v1"
    public var ncrCode: String
    public var decision: NCRDecision
    public var applied: Bool
    public var message: String
    public var orderCode: String?
    public var movements: [Movement]
    public var occurredAt: Date
    public init(
        ncrCode: String, decision: NCRDecision, applied: Bool, message: String, orderCode: String?, movements: [Movement],
        occurredAt: Date
    ) {
        self.ncrCode = ncrCode
        self.decision = decision
        self.applied = applied
        self.message = message
        self.orderCode = orderCode
        self.movements = movements
        self.occurredAt = occurredAt
    }
}
