import Foundation

/// How an unfinished SPK stands against its plan (finished SPKs have none).
public enum SPKHealth: String, Sendable, CaseInsensitiveEnum {
    case onTrack = "ON_TRACK"
    case atRisk = "AT_RISK"
    case offTrack = "OFF_TRACK"
}

public struct HealthCounts: Codable, Sendable, Hashable {
    public var onTrack: Int
    public var atRisk: Int
    public var offTrack: Int
    public init(onTrack: Int = 0, atRisk: Int = 0, offTrack: Int = 0) {
        self.onTrack = onTrack
        self.atRisk = atRisk
        self.offTrack = offTrack
    }
}

public enum AlertSeverity: String, Sendable, CaseInsensitiveEnum {
    case critical = "CRITICAL"
    case warning = "WARNING"
}

public enum AlertType: String, Sendable, CaseInsensitiveEnum {
    /// Unfinished after its due date.
    case pastDue = "PAST_DUE"
    case offTrack = "OFF_TRACK"
    case atRisk = "AT_RISK"
    /// In progress, yet nothing recorded for some working days.
    case noInput = "NO_INPUT"
    case highRejectRate = "HIGH_REJECT_RATE"
    /// Its window has begun but the previous stage of its order has passed nothing on.
    case wipStarved = "WIP_STARVED"
    /// An approval request has waited longer than the warning time.
    case approvalWaiting = "APPROVAL_WAITING"
    /// Material debt the warehouse has not settled for longer than the warning time.
    case materialDebtOpen = "MATERIAL_DEBT_OPEN"
    /// A non-conformance report undecided past its escalation time (Quality escalated it to MANAGER).
    case ncrEscalated = "NCR_ESCALATED"
    /// One defect code is more than the warning share of a stage's output over the last days.
    case defectShareHigh = "DEFECT_SHARE_HIGH"
}

/// Something a planner should look at: what, which SPK, since when (the factory's date), why.
public struct PPICAlert: Codable, Sendable, Hashable {
    public var type: AlertType
    public var severity: AlertSeverity
    /// The SPK's code, id and stage; unknown (null) only for an approval recorded before PPIC kept its SPK.
    public var spk: String?
    public var spkId: UUID?
    public var stage: Stage?
    public var since: LocalDate
    public var message: String
    public init(
        type: AlertType, severity: AlertSeverity, spk: String?, spkId: UUID?, stage: Stage?, since: LocalDate,
        message: String
    ) {
        self.type = type
        self.severity = severity
        self.spk = spk
        self.spkId = spkId
        self.stage = stage
        self.since = since
        self.message = message
    }
}

public struct AlertTotals: Codable, Sendable, Hashable {
    public var critical: Int
    public var warning: Int
    public init(critical: Int, warning: Int) {
        self.critical = critical
        self.warning = warning
    }
}

/// Each list most urgent first and cut at the asked limit; `totals` says how many there are in all.
public struct AlertList: Codable, Sendable, Hashable {
    public var critical: [PPICAlert]
    public var warning: [PPICAlert]
    public var totals: AlertTotals
    public init(critical: [PPICAlert], warning: [PPICAlert], totals: AlertTotals) {
        self.critical = critical
        self.warning = warning
        self.totals = totals
    }
}

/// `GET /api/v1/ppic/alerts?limit=`
public struct GetAlerts: Query {
    public static let messageType = "ppic.alerts.get.v1"
    public static let owner = ServiceName.ppic
    public typealias Reply = AlertList
    public static let defaultLimit = 100
    public static let maxLimit = 1000
    /// At most this many of each severity.
    public var limit: Int
    public init(limit: Int = GetAlerts.defaultLimit) { self.limit = limit }
}

public struct StageDailyFigures: Codable, Sendable, Hashable {
    public var stage: Stage
    public var target: Int
    public var actual: Int
    public var variance: Int
    public init(stage: Stage, target: Int, actual: Int) {
        self.stage = stage
        self.target = target
        self.actual = actual
        self.variance = actual - target
    }
}

/// A day's planned against recorded output, for the factory and per stage (every stage, in route order).
public struct DailySummary: Codable, Sendable, Hashable {
    public var date: LocalDate
    public var target: Int
    public var actual: Int
    public var variance: Int
    public var byStage: [StageDailyFigures]
    public init(date: LocalDate, byStage: [StageDailyFigures]) {
        self.date = date
        self.byStage = byStage
        // The total is the sum of the stage rows (each rounded), so the report adds up.
        target = byStage.reduce(0) { $0 + $1.target }
        actual = byStage.reduce(0) { $0 + $1.actual }
        variance = actual - target
    }
}

/// `GET /api/v1/ppic/reports/daily-summary?date=`
public struct GetDailySummary: Query {
    public static let messageType = "ppic.reports.daily-summary.v1"
    public static let owner = ServiceName.ppic
    public typealias Reply = DailySummary
    /// Nil: the factory's today.
    public var date: LocalDate?
    public init(date: LocalDate? = nil) { self.date = date }
}

public struct SPKHealthDetail: Codable, Sendable, Hashable {
    public var spk: String
    public var spkId: UUID
    public var stage: Stage
    public var health: SPKHealth
    public var planned: Int
    public var actual: Int
    public var dueDate: LocalDate
    public var reason: String
    public init(
        spk: String, spkId: UUID, stage: Stage, health: SPKHealth, planned: Int, actual: Int, dueDate: LocalDate,
        reason: String
    ) {
        self.spk = spk
        self.spkId = spkId
        self.stage = stage
        self.health = health
        self.planned = planned
        self.actual = actual
        self.dueDate = dueDate
        self.reason = reason
    }
}

/// Counts over the whole filter; `details` is one page of it, worst first.
public struct OnTrackStatus: Codable, Sendable {
    public var onTrack: Int
    public var atRisk: Int
    public var offTrack: Int
    public var details: Page<SPKHealthDetail>
    public init(counts: HealthCounts, details: Page<SPKHealthDetail>) {
        onTrack = counts.onTrack
        atRisk = counts.atRisk
        offTrack = counts.offTrack
        self.details = details
    }
}

/// `GET /api/v1/ppic/reports/on-track-status?stage=&health=&page=&per_page=`
public struct GetOnTrackStatus: Query {
    public static let messageType = "ppic.reports.on-track-status.v1"
    public static let owner = ServiceName.ppic
    public typealias Reply = OnTrackStatus
    public var stage: Stage?
    public var health: SPKHealth?
    public var page: PageRequest
    public init(stage: Stage? = nil, health: SPKHealth? = nil, page: PageRequest = PageRequest()) {
        self.stage = stage
        self.health = health
        self.page = page
    }
}
