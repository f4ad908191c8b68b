import Foundation

/// `POST /api/v1/production/spk/{id}/request-modification` (and `/modify-qty`).
public struct RequestQuantityChange: Command {
    public static let messageType = "approval.quantity-change.request.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = ApprovalRequest
    public var spk: String
    public var newQty: Int
    public var reason: String
    public init(spk: String, newQty: Int, reason: String) {
        self.spk = spk
        self.newQty = newQty
        self.reason = reason
    }
}

/// `POST /api/v1/production/material-debt/request`
public struct RequestMaterialDebt: Command {
    public static let messageType = "approval.material-debt.request.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = ApprovalRequest
    public var spkId: String
    public var materialCode: String
    public var qty: Double
    public var reason: String
    public init(spkId: String, materialCode: String, qty: Double, reason: String) {
        self.spkId = spkId
        self.materialCode = materialCode
        self.qty = qty
        self.reason = reason
    }
}

/// `POST /api/v1/production/approvals/{id}/approve` `{approved, notes}`
public struct DecideApproval: Command {
    public static let messageType = "approval.request.decide.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = ApprovalRequest
    public var id: String
    public var approved: Bool
    public var notes: String?
    public init(id: String, approved: Bool, notes: String?) {
        self.id = id
        self.approved = approved
        self.notes = notes
    }
}

/// `POST /api/v1/production/approvals/{id}/cancel` — by the requester, while PENDING.
public struct CancelApproval: Command {
    public static let messageType = "approval.request.cancel.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = ApprovalRequest
    public var id: String
    public init(id: String) { self.id = id }
}

/// `GET /api/v1/production/approvals/pending`: what waits for the caller's roles, oldest first.
public struct ListPendingApprovals: Query {
    public static let messageType = "approval.request.list-pending.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = Page<ApprovalRequest>
    public var page: PageRequest
    public init(page: PageRequest = PageRequest()) { self.page = page }
}

/// `GET /api/v1/approvals/{id}` (id or code).
public struct GetApproval: Query {
    public static let messageType = "approval.request.get.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = ApprovalRequest
    public var id: String
    public init(id: String) { self.id = id }
}

/// `GET /api/v1/production/material-debt[?status=]` and `/material-debt/pending`.
public struct ListMaterialDebts: Query {
    public static let messageType = "approval.material-debt.list.v1"
    public static let owner = ServiceName.approval
    public typealias Reply = Page<ApprovalRequest>
    public var status: ApprovalStatus?
    public var page: PageRequest
    public init(status: ApprovalStatus? = nil, page: PageRequest = PageRequest()) {
        self.status = status
        self.page = page
    }
}
