import Foundation

/// A Production event that carries the SPK as it is after the change. Readers keep the newest
/// `version` they saw, so for them every such event means the same thing: "this is the SPK now".
public protocol SPKStateEvent: Event {
    var spk: SPK { get }
}

public enum ProductionEvents {
    /// Every event that carries an SPK's state: a reader subscribing to these misses no change.
    public static let spkState: [any SPKStateEvent.Type] = [
        SPKCreated.self, DailyInputRecorded.self, SPKCompleted.self, SPKTargetChanged.self, SPKStatusChanged.self,
        DailyInputVoided.self,
    ]
}

public struct SPKCreated: SPKStateEvent {
    public static let messageType = "production.spk.created.v1"
    public var spk: SPK
    public init(spk: SPK) { self.spk = spk }
}

public struct DailyInputRecorded: SPKStateEvent {
    public static let messageType = "production.daily-input.recorded.v1"
    public var entryId: UUID
    public var spk: SPK
    public var entry: DailyInputEntry
    public var recordedBy: String
    public init(entryId: UUID, spk: SPK, entry: DailyInputEntry, recordedBy: String) {
        self.entryId = entryId
        self.spk = spk
        self.entry = entry
        self.recordedBy = recordedBy
    }
}

public struct SPKCompleted: SPKStateEvent {
    public static let messageType = "production.spk.completed.v1"
    public var spk: SPK
    public init(spk: SPK) { self.spk = spk }
}

/// An approved quantity change set the SPK's target.
public struct SPKTargetChanged: SPKStateEvent {
    public static let messageType = "production.spk.target-changed.v1"
    public var spk: SPK
    public var approvalId: UUID
    public var approvalCode: String
    public var oldTarget: Int
    public var newTarget: Int
    public init(spk: SPK, approvalId: UUID, approvalCode: String, oldTarget: Int, newTarget: Int) {
        self.spk = spk
        self.approvalId = approvalId
        self.approvalCode = approvalCode
        self.oldTarget = oldTarget
        self.newTarget = newTarget
    }
}

/// An approved quantity change arrived but was no longer valid (more was produced meanwhile).
public struct SPKTargetChangeRejected: Event {
    public static let messageType = "production.spk.target-change-rejected.v1"
    public var spkId: UUID
    public var approvalId: UUID
    public var reason: String
    public init(spkId: UUID, approvalId: UUID, reason: String) {
        self.spkId = spkId
        self.approvalId = approvalId
        self.reason = reason
    }
}

/// An SPK was held, resumed, cancelled or closed.
public struct SPKStatusChanged: SPKStateEvent {
    public static let messageType = "production.spk.status-changed.v1"
    public var spk: SPK
    public var action: SPKAction
    public var from: SPKStatus
    public var reason: String
    public init(spk: SPK, action: SPKAction, from: SPKStatus, reason: String) {
        self.spk = spk
        self.action = action
        self.from = from
        self.reason = reason
    }
}

/// A daily entry was voided: a reversal was recorded and the SPK's totals follow.
public struct DailyInputVoided: SPKStateEvent {
    public static let messageType = "production.daily-input.voided.v1"
    public var entryId: UUID
    public var reversalId: UUID
    public var spk: SPK
    public var reason: String
    /// The reversal row: the voided entry's date with its quantities negated. (Absent in events
    /// published before it was added.)
    public var reversal: RecordedEntry?
    public init(entryId: UUID, reversalId: UUID, spk: SPK, reason: String, reversal: RecordedEntry? = nil) {
        self.entryId = entryId
        self.reversalId = reversalId
        self.spk = spk
        self.reason = reason
        self.reversal = reversal
    }
}

/// A manufacturing order was created; each of its SPKs is announced by its own `SPKCreated`.
public struct OrderCreated: Event {
    public static let messageType = "production.order.created.v1"
    public var order: ManufacturingOrder
    public init(order: ManufacturingOrder) { self.order = order }
}
