import Foundation

public struct StageSummary: Codable, Sendable, Hashable {
    public var spks: Int
    public var target: Int
    public var produced: Int
    public var progress: Double
    public init(spks: Int, target: Int, produced: Int, progress: Double) {
        self.spks = spks
        self.target = target
        self.produced = produced
        self.progress = progress
    }
}

public struct Dashboard: Codable, Sendable, Hashable {
    public var totalSpks: Int
    public var notStarted: Int
    public var inProgress: Int
    public var completed: Int
    public var onHold: Int
    /// Past due and not finished (completed, cancelled or closed).
    public var delayed: Int
    public var byStage: [String: StageSummary]
    /// Approval requests still waiting, and how many of them longer than the warning time (24 h).
    public var pendingApprovals: Int
    public var approvalsWaitingTooLong: Int
    public var updatedAt: Date?
    /// Unfinished SPKs by health.
    public var health: HealthCounts
    /// The most urgent alerts (critical first), at most five.
    public var topAlerts: [PPICAlert]
    public init(
        totalSpks: Int, notStarted: Int, inProgress: Int, completed: Int, onHold: Int = 0, delayed: Int,
        byStage: [String: StageSummary], pendingApprovals: Int = 0, approvalsWaitingTooLong: Int = 0, updatedAt: Date?,
        health: HealthCounts = HealthCounts(), topAlerts: [PPICAlert] = []
    ) {
        self.health = health
        self.topAlerts = topAlerts
        self.pendingApprovals = pendingApprovals
        self.approvalsWaitingTooLong = approvalsWaitingTooLong
        self.totalSpks = totalSpks
        self.notStarted = notStarted
        self.inProgress = inProgress
        self.completed = completed
        self.onHold = onHold
        self.delayed = delayed
        self.byStage = byStage
        self.updatedAt = updatedAt
    }
}

/// `GET /api/v1/ppic/dashboard`
public struct GetDashboard: Query {
    public static let messageType = "ppic.dashboard.get.v1"
    public static let owner = ServiceName.ppic
    public typealias Reply = Dashboard
    public init() {}
}
