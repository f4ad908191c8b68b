import Contracts

extension SPKStatus {
    /// "Status from produced vs target", in one place: an SPK that runs (not held, cancelled or
    /// closed) is COMPLETED once it has produced its target, IN_PROGRESS once work was reported
    /// (an entry of rejects only counts), else NOT_STARTED.
    static func running(produced: Int, target: Int, started: Bool) -> SPKStatus {
        produced >= target ? .completed : (started ? .inProgress : .notStarted)
    }
}
