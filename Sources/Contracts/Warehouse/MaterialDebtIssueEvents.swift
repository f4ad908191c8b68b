import Foundation

/// The warehouse could not issue an APPROVED material debt (the material or the SPK is unknown to it, the
/// SPK was cancelled meanwhile, there is no store or floor to move it between): nothing moved and no debt
/// is open. Approval shows the request as ISSUE_FAILED with `reason`, so the requester and the approvers
/// know the line will not get the material this way.
public struct MaterialDebtIssueFailed: Event {
    public static let messageType = "warehouse.material-debt.issue-failed.v1"
    public var approvalId: UUID
    public var approvalCode: String
    public var materialCode: String
    public var reason: String
    public var occurredAt: Date
    public init(approvalId: UUID, approvalCode: String, materialCode: String, reason: String, occurredAt: Date) {
        self.approvalId = approvalId
        self.approvalCode = approvalCode
        self.materialCode = materialCode
        self.reason = reason
        self.occurredAt = occurredAt
    }
}
