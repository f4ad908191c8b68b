import Foundation

/// `POST /api/v1/production/spks`
public struct CreateSPK: Command {
    public static let messageType = "production.spk.create.v1"
    public static let owner = ServiceName.production
    public typealias Reply = SPK

    public var articleCode: String
    public var stage: Stage
    public var department: Department
    public var originalQty: Int
    public var startDate: LocalDate
    public var dueDate: LocalDate
    public var notes: String?

    public init(
        articleCode: String, stage: Stage, department: Department, originalQty: Int, startDate: LocalDate,
        dueDate: LocalDate, notes: String? = nil
    ) {
        self.articleCode = articleCode
        self.stage = stage
        self.department = department
        self.originalQty = originalQty
        self.startDate = startDate
        self.dueDate = dueDate
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey { case articleCode, stage, department, originalQty, startDate, dueDate, notes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        articleCode = try container.decode(String.self, forKey: .articleCode)
        stage = try container.decode(Stage.self, forKey: .stage)
        department = try container.decode(Department.self, forKey: .department)
        originalQty = try container.decodeWholeNumber(forKey: .originalQty)
        startDate = try container.decode(LocalDate.self, forKey: .startDate)
        dueDate = try container.decode(LocalDate.self, forKey: .dueDate)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
    }
}

/// What a line produced on one date for one SPK.
public struct DailyInputEntry: Codable, Sendable, Hashable {
    public var date: LocalDate
    public var qty: Int
    public var rejectQty: Int
    public var shift: Shift?
    public var operatorId: String?
    public var notes: String?
    /// Made by the client (a phone) so that sending the entry again changes nothing.
    public var clientEntryId: String?
    /// The rejects by defect code (Quality's codes of the SPK's stage); when given, their qty sum to `rejectQty`.
    public var defects: [DefectCount]?

    public init(
        date: LocalDate, qty: Int, rejectQty: Int = 0, shift: Shift? = nil, operatorId: String? = nil,
        notes: String? = nil, clientEntryId: String? = nil, defects: [DefectCount]? = nil
    ) {
        self.date = date
        self.qty = qty
        self.rejectQty = rejectQty
        self.shift = shift
        self.operatorId = operatorId
        self.notes = notes
        self.clientEntryId = clientEntryId
        self.defects = defects
    }

    enum CodingKeys: String, CodingKey { case date, qty, rejectQty, shift, operatorId, notes, clientEntryId, defects }

    /// `reject_qty` may be left out (0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        date = try container.decode(LocalDate.self, forKey: .date)
        qty = try container.decodeWholeNumber(forKey: .qty)
        rejectQty = try container.decodeWholeNumberIfPresent(forKey: .rejectQty) ?? 0
        shift = try container.decodeIfPresent(Shift.self, forKey: .shift)
        operatorId = try container.decodeIfPresent(String.self, forKey: .operatorId)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        clientEntryId = try container.decodeIfPresent(String.self, forKey: .clientEntryId)
        defects = try container.decodeIfPresent([DefectCount].self, forKey: .defects)
    }
}

public struct DailyInputResult: Codable, Sendable, Hashable {
    public var status: String
    public var entryId: UUID
    public var cumulative: Int
    public var target: Int
    public var progress: Double
    public var spkStatus: SPKStatus

    public init(entryId: UUID, cumulative: Int, target: Int, progress: Double, spkStatus: SPKStatus) {
        self.status = "ok"
        self.entryId = entryId
        self.cumulative = cumulative
        self.target = target
        self.progress = progress
        self.spkStatus = spkStatus
    }
}

/// `POST /api/v1/production/spk/{id}/daily-input`; `spk` is the id or the code.
public struct RecordDailyInput: Command {
    public static let messageType = "production.daily-input.record.v1"
    public static let owner = ServiceName.production
    public typealias Reply = DailyInputResult

    public var spk: String
    public var entry: DailyInputEntry
    /// The user `entry.operator_id` names, looked up by the gateway; nil if there is no such user.
    public var `operator`: OperatorRef?

    public init(spk: String, entry: DailyInputEntry, operator: OperatorRef? = nil) {
        self.spk = spk
        self.entry = entry
        self.operator = `operator`
    }
}

/// One entry of a phone's offline backlog.
public struct MobileEntry: Codable, Sendable, Hashable {
    public var spkId: String
    public var entry: DailyInputEntry
    /// The user `entry.operator_id` names, looked up by the gateway; nil if there is no such user.
    public var `operator`: OperatorRef?

    public init(spkId: String, entry: DailyInputEntry, operator: OperatorRef? = nil) {
        self.spkId = spkId
        self.entry = entry
        self.operator = `operator`
    }
}

public struct MobileEntryResult: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable, CaseIterable { case recorded, duplicate, rejected }
    public var clientEntryId: String?
    public var status: Outcome
    public var result: DailyInputResult?
    public var error: ErrorReply?

    public init(clientEntryId: String?, status: Outcome, result: DailyInputResult? = nil, error: ErrorReply? = nil) {
        self.clientEntryId = clientEntryId
        self.status = status
        self.result = result
        self.error = error
    }
}

/// `POST /api/v1/production/mobile/daily-input`: each entry on its own; one bad entry never fails the rest.
public struct RecordMobileBatch: Command {
    public static let messageType = "production.daily-input.record-batch.v1"
    public static let owner = ServiceName.production
    public typealias Reply = [MobileEntryResult]
    public static let maxEntries = 500

    public var entries: [MobileEntry]
    public init(entries: [MobileEntry]) { self.entries = entries }
}

/// `GET /api/v1/production/spks`
public struct ListSPKs: Query {
    public static let messageType = "production.spk.list.v1"
    public static let owner = ServiceName.production
    public typealias Reply = Page<SPK>

    public var status: SPKStatus?
    public var stage: Stage?
    public var department: Department?
    public var dueBefore: LocalDate?
    public var dueAfter: LocalDate?
    /// The SPKs of one manufacturing order (its id or code).
    public var order: String?
    public var page: PageRequest

    public init(
        status: SPKStatus? = nil, stage: Stage? = nil, department: Department? = nil, dueBefore: LocalDate? = nil,
        dueAfter: LocalDate? = nil, order: String? = nil, page: PageRequest = PageRequest()
    ) {
        self.order = order
        self.status = status
        self.stage = stage
        self.department = department
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
        self.page = page
    }
}

/// `GET /api/v1/production/spks/{id}`; `spk` is the id or the code.
public struct GetSPK: Query {
    public static let messageType = "production.spk.get.v1"
    public static let owner = ServiceName.production
    public typealias Reply = SPK
    public var spk: String
    public init(spk: String) { self.spk = spk }
}

public struct DailyProgress: Codable, Sendable, Hashable {
    public var date: LocalDate
    public var qty: Int
    public var rejectQty: Int
    public var cumulative: Int
    public init(date: LocalDate, qty: Int, rejectQty: Int, cumulative: Int) {
        self.date = date
        self.qty = qty
        self.rejectQty = rejectQty
        self.cumulative = cumulative
    }
}

/// An approved quantity change applied to an SPK.
public struct TargetChange: Codable, Sendable, Hashable {
    public var approvalId: UUID
    public var approvalCode: String
    public var oldQty: Int
    public var newQty: Int
    public var approvedBy: String
    public var changedAt: Date
    public init(approvalId: UUID, approvalCode: String, oldQty: Int, newQty: Int, approvedBy: String, changedAt: Date) {
        self.approvalId = approvalId
        self.approvalCode = approvalCode
        self.oldQty = oldQty
        self.newQty = newQty
        self.approvedBy = approvedBy
        self.changedAt = changedAt
    }
}

public struct SPKProgress: Codable, Sendable, Hashable {
    public var spkId: UUID
    public var code: String
    public var originalQty: Int
    public var target: Int
    public var cumulative: Int
    public var remaining: Int
    public var progress: Double
    public var rejects: Int
    public var status: SPKStatus
    public var daily: [DailyProgress]
    /// Approved quantity changes, oldest first.
    public var targetChanges: [TargetChange]
    public init(
        spkId: UUID, code: String, originalQty: Int, target: Int, cumulative: Int, remaining: Int, progress: Double,
        rejects: Int, status: SPKStatus, daily: [DailyProgress], targetChanges: [TargetChange]
    ) {
        self.spkId = spkId
        self.code = code
        self.originalQty = originalQty
        self.targetChanges = targetChanges
        self.target = target
        self.cumulative = cumulative
        self.remaining = remaining
        self.progress = progress
        self.rejects = rejects
        self.status = status
        self.daily = daily
    }
}

/// `GET /api/v1/production/spk/{id}/progress`
public struct GetSPKProgress: Query {
    public static let messageType = "production.spk.progress.v1"
    public static let owner = ServiceName.production
    public typealias Reply = SPKProgress
    public var spk: String
    public init(spk: String) { self.spk = spk }
}

/// `GET /api/v1/production/my-spks`: the open SPKs of the caller's department.
public struct ListMySPKs: Query {
    public static let messageType = "production.spk.list-mine.v1"
    public static let owner = ServiceName.production
    public typealias Reply = [SPK]
    public init() {}
}

/// `POST /api/v1/production/spk/{id}/hold|resume|cancel|close` `{reason}`
public struct ChangeSPKStatus: Command {
    public static let messageType = "production.spk.change-status.v1"
    public static let owner = ServiceName.production
    public typealias Reply = SPK
    public var spk: String
    public var action: SPKAction
    public var reason: String
    public init(spk: String, action: SPKAction, reason: String) {
        self.spk = spk
        self.action = action
        self.reason = reason
    }
}

public struct VoidResult: Codable, Sendable, Hashable {
    public var entryId: UUID
    public var reversalId: UUID
    public var cumulative: Int
    public var target: Int
    public var progress: Double
    public var spkStatus: SPKStatus
    public init(entryId: UUID, reversalId: UUID, cumulative: Int, target: Int, progress: Double, spkStatus: SPKStatus) {
        self.entryId = entryId
        self.reversalId = reversalId
        self.cumulative = cumulative
        self.target = target
        self.progress = progress
        self.spkStatus = spkStatus
    }
}

/// `POST /api/v1/production/daily-input/{entry_id}/void` `{reason}`: nothing is deleted, a reversal is recorded.
public struct VoidDailyInput: Command {
    public static let messageType = "production.daily-input.void.v1"
    public static let owner = ServiceName.production
    public typealias Reply = VoidResult
    public var entryId: String
    public var reason: String
    public init(entryId: String, reason: String) {
        self.entryId = entryId
        self.reason = reason
    }
}
