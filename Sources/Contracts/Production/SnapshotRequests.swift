import Foundation

/// One stored daily entry as a reader rebuilding from scratch needs it; a reversal has negative figures.
public struct RecordedEntry: Codable, Sendable, Hashable {
    public var id: UUID
    public var spkId: UUID
    public var date: LocalDate
    public var qty: Int
    public var rejectQty: Int
    public init(id: UUID, spkId: UUID, date: LocalDate, qty: Int, rejectQty: Int) {
        self.id = id
        self.spkId = spkId
        self.date = date
        self.qty = qty
        self.rejectQty = rejectQty
    }
}

/// Every SPK, in pages ordered by id (`after` = the last id of the previous page). For rebuilding read models.
public struct ExportSPKs: Query {
    public static let messageType = "production.snapshot.spks.v1"
    public static let owner = ServiceName.production
    public typealias Reply = [SPK]
    public static let maxLimit = 5000
    public var after: UUID?
    public var limit: Int
    public init(after: UUID? = nil, limit: Int = 1000) {
        self.after = after
        self.limit = limit
    }
}

/// Every daily entry and reversal, in pages ordered by id. For rebuilding read models.
public struct ExportDailyInputs: Query {
    public static let messageType = "production.snapshot.daily-inputs.v1"
    public static let owner = ServiceName.production
    public typealias Reply = [RecordedEntry]
    public static let maxLimit = 20000
    public var after: UUID?
    public var limit: Int
    public init(after: UUID? = nil, limit: Int = 5000) {
        self.after = after
        self.limit = limit
    }
}
