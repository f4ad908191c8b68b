import Foundation

/// The stages an article passes through, in order.
public enum Stage: String, Sendable, CaseInsensitiveEnum {
    case cutting = "CUTTING"
    case embroidery = "EMBROIDERY"
    case sewing = "SEWING"
    case finishing = "FINISHING"
    case packing = "PACKING"

    /// The route an article takes when nothing else is said.
    public static let defaultRoute: [Stage] = allCases

    /// The department that runs this stage.
    public var department: Department { Department(rawValue: rawValue)! }
}

public enum SPKStatus: String, Sendable, CaseInsensitiveEnum {
    case notStarted = "NOT_STARTED"
    case inProgress = "IN_PROGRESS"
    case completed = "COMPLETED"
    case cancelled = "CANCELLED"
    /// Stopped for now (no input taken); resumes where it was.
    case onHold = "ON_HOLD"
    /// Finished short of its target by decision; takes no more input.
    case closed = "CLOSED"

    /// Takes input.
    public var isOpen: Bool { self == .notStarted || self == .inProgress }
    /// Will not run again.
    public var isFinal: Bool { self == .completed || self == .cancelled || self == .closed }
}

/// What a supervisor or manager does to an SPK's life.
public enum SPKAction: String, Sendable, CaseInsensitiveEnum {
    case hold = "HOLD"
    case resume = "RESUME"
    case cancel = "CANCEL"
    case close = "CLOSE"
}

public enum Shift: String, Sendable, CaseInsensitiveEnum {
    case day = "DAY"
    case night = "NIGHT"
    case none = "NONE"
}

/// A work order as every reader sees it.
public struct SPK: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var articleCode: String
    public var stage: Stage
    public var department: Department
    public var originalQty: Int
    public var targetQty: Int
    public var producedQty: Int
    public var rejectQty: Int
    /// Percent of the target produced, one decimal.
    public var progress: Double
    public var status: SPKStatus
    public var startDate: LocalDate
    public var dueDate: LocalDate
    public var notes: String?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    /// Increases with every change; readers built from events keep the highest they saw.
    public var version: Int
    /// The manufacturing order this SPK is one stage of, and its place in the order's route (1 = first).
    /// Absent for a stand-alone SPK.
    public var orderId: UUID?
    public var orderCode: String?
    public var sequence: Int?
    /// Good output the previous stage of the order has passed on and this stage has not used yet:
    /// the most this SPK may still report. Absent for the first stage and stand-alone SPKs.
    /// In an event, as it was at that change.
    public var availableWip: Int?

    public init(
        id: UUID, code: String, articleCode: String, stage: Stage, department: Department, originalQty: Int,
        targetQty: Int, producedQty: Int, rejectQty: Int, progress: Double, status: SPKStatus, startDate: LocalDate,
        dueDate: LocalDate, notes: String?, createdBy: String, createdAt: Date, updatedAt: Date, version: Int,
        orderId: UUID? = nil, orderCode: String? = nil, sequence: Int? = nil, availableWip: Int? = nil
    ) {
        self.orderId = orderId
        self.orderCode = orderCode
        self.sequence = sequence
        self.availableWip = availableWip
        self.id = id
        self.code = code
        self.articleCode = articleCode
        self.stage = stage
        self.department = department
        self.originalQty = originalQty
        self.targetQty = targetQty
        self.producedQty = producedQty
        self.rejectQty = rejectQty
        self.progress = progress
        self.status = status
        self.startDate = startDate
        self.dueDate = dueDate
        self.notes = notes
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// Percent with one decimal, as shown to people.
public func progressPercent(produced: Int, target: Int) -> Double {
    guard target > 0 else { return 0 }
    return (Double(produced) * 1000 / Double(target)).rounded() / 10
}
