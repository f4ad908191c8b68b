import Foundation

public struct SPKCreated: Event {
    public static let messageType = "production.spk.created.v1"
    public var spk: SPK
    public init(spk: SPK) { self.spk = spk }
}

public struct DailyInputRecorded: Event {
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

public struct SPKCompleted: Event {
    public static let messageType = "production.spk.completed.v1"
    public var spk: SPK
    public init(spk: SPK) { self.spk = spk }
}
