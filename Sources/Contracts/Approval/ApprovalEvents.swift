import Foundation

public struct ApprovalSubmitted: Event {
    public static let messageType = "approval.request.submitted.v1"
    public var request: ApprovalRequest
    public init(request: ApprovalRequest) { self.request = request }
}

/// The last level approved: the change may now happen.
public struct ApprovalApproved: Event {
    public static let messageType = "approval.request.approved.v1"
    public var request: ApprovalRequest
    public init(request: ApprovalRequest) { self.request = request }
}

public struct ApprovalRejected: Event {
    public static let messageType = "approval.request.rejected.v1"
    public var request: ApprovalRequest
    public init(request: ApprovalRequest) { self.request = request }
}

public struct ApprovalCancelled: Event {
    public static let messageType = "approval.request.cancelled.v1"
    public var request: ApprovalRequest
    public init(request: ApprovalRequest) { self.request = request }
}
