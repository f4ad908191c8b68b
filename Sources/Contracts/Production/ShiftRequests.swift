import Foundation

/// The shift running at a moment, in the factory's time zone.
public struct CurrentShift: Codable, Sendable, Hashable {
    public var shift: Shift
    /// The production date the shift belongs to: a night shift past midnight belongs to the day it began.
    public var date: LocalDate
    public var startsAt: Date
    public var endsAt: Date
    public var timeZone: String
    public init(shift: Shift, date: LocalDate, startsAt: Date, endsAt: Date, timeZone: String) {
        self.shift = shift
        self.date = date
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
    }
}

/// `GET /api/v1/production/current-shift`
public struct GetCurrentShift: Query {
    public static let messageType = "production.shift.current.v1"
    public static let owner = ServiceName.production
    public typealias Reply = CurrentShift
    public init() {}
}

/// A user named as the operator of an entry, as the gateway (which owns users) found them.
public struct OperatorRef: Codable, Sendable, Hashable {
    public var id: UUID
    public var username: String
    public var department: String?
    public var active: Bool
    public init(id: UUID, username: String, department: String?, active: Bool) {
        self.id = id
        self.username = username
        self.department = department
        self.active = active
    }
}

/// What a phone needs in one small answer.
public struct MobileSyncResult: Codable, Sendable, Hashable {
    /// Pass back as `since` next time.
    public var cursor: String
    /// True when `spks` is the department's whole open list (no or an unusable cursor); false when it
    /// holds only the SPKs changed since the cursor — of any status, so the phone drops closed ones.
    public var full: Bool
    public var department: Department
    public var currentShift: CurrentShift
    public var spks: [SPK]
    /// More changes wait: ask again with the new cursor at once.
    public var hasMore: Bool
    public init(cursor: String, full: Bool, department: Department, currentShift: CurrentShift, spks: [SPK], hasMore: Bool) {
        self.hasMore = hasMore
        self.cursor = cursor
        self.full = full
        self.department = department
        self.currentShift = currentShift
        self.spks = spks
    }
}

/// `GET /api/v1/production/mobile/sync?since=<cursor>` for the caller's department.
public struct MobileSync: Query {
    public static let messageType = "production.mobile.sync.v1"
    public static let owner = ServiceName.production
    public typealias Reply = MobileSyncResult
    public static let maxChanges = 500
    public var since: String?
    public init(since: String? = nil) { self.since = since }
}
