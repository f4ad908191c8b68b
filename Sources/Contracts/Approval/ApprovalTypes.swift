import Foundation

public enum ApprovalKind: String, Sendable, CaseInsensitiveEnum {
    case quantityChange = "QUANTITY_CHANGE"
    case materialDebt = "MATERIAL_DEBT"
}

public enum ApprovalStatus: String, Sendable, CaseInsensitiveEnum {
    case pending = "PENDING"
    case approved = "APPROVED"
    case rejected = "REJECTED"
    case cancelled = "CANCELLED"
    /// Material debt the warehouse has paid back in part, then in full (after APPROVED).
    case partiallySettled = "PARTIALLY_SETTLED"
    case settled = "SETTLED"
    /// Material debt approved, but the warehouse could not issue it (`outcome` says why): nothing moved.
    case issueFailed = "ISSUE_FAILED"
}

/// One step of a request's chain: the role that decides it and, once decided, who and how.
public struct ApprovalLevel: Codable, Sendable, Hashable {
    public var level: Int
    public var role: String
    public var status: ApprovalStatus
    public var decidedBy: String?
    public var decidedAt: Date?
    public var notes: String?

    public init(
        level: Int, role: String, status: ApprovalStatus = .pending, decidedBy: String? = nil, decidedAt: Date? = nil,
        notes: String? = nil
    ) {
        self.level = level
        self.role = role
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.notes = notes
    }
}

/// What a quantity change asks for.
public struct QuantityChange: Codable, Sendable, Hashable {
    public var originalQty: Int
    public var oldQty: Int
    public var newQty: Int
    public init(originalQty: Int, oldQty: Int, newQty: Int) {
        self.originalQty = originalQty
        self.oldQty = oldQty
        self.newQty = newQty
    }
}

/// Material issued before the warehouse has it.
public struct MaterialDebt: Codable, Sendable, Hashable {
    public var materialCode: String
    public var qty: Double
    public init(materialCode: String, qty: Double) {
        self.materialCode = materialCode
        self.qty = qty
    }
}

public struct ApprovalRequest: Codable, Sendable, Hashable {
    public var id: UUID
    /// `MOD-YYYYMMDD-NNNN` for quantity changes, `MD-YYYYMMDD-NNNN` for material debt.
    public var code: String
    public var kind: ApprovalKind
    public var status: ApprovalStatus
    public var spkId: UUID
    public var spkCode: String
    public var requestedBy: String
    public var requestedById: String
    public var requestedAt: Date
    public var reason: String
    /// The level waiting for a decision (1-based); meaningful while PENDING.
    public var currentLevel: Int
    public var levels: [ApprovalLevel]
    /// `500→450` for a quantity change, `FABRIC-RED 12.5` for material debt.
    public var change: String
    public var quantity: QuantityChange?
    public var materialDebt: MaterialDebt?
    /// What happened when the approved change reached the SPK (APPLIED, or why not), or the warehouse
    /// the approved debt (ISSUED, SETTLED, or ISSUE_FAILED and why).
    public var outcome: String?
    public var updatedAt: Date

    public init(
        id: UUID, code: String, kind: ApprovalKind, status: ApprovalStatus, spkId: UUID, spkCode: String,
        requestedBy: String, requestedById: String, requestedAt: Date, reason: String, currentLevel: Int,
        levels: [ApprovalLevel], change: String, quantity: QuantityChange?, materialDebt: MaterialDebt?,
        outcome: String?, updatedAt: Date
    ) {
        self.id = id
        self.code = code
        self.kind = kind
        self.status = status
        self.spkId = spkId
        self.spkCode = spkCode
        self.requestedBy = requestedBy
        self.requestedById = requestedById
        self.requestedAt = requestedAt
        self.reason = reason
        self.currentLevel = currentLevel
        self.levels = levels
        self.change = change
        self.quantity = quantity
        self.materialDebt = materialDebt
        self.outcome = outcome
        self.updatedAt = updatedAt
    }
}
