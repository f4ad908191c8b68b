import Foundation

/// How bad a defect is. CRITICAL: unsafe or illegal (a loose eye on a toy) — no sample may hold one;
/// MAJOR: the unit would likely be returned; MINOR: a flaw the buyer tolerates within its AQL.
public enum DefectSeverity: String, Sendable, CaseInsensitiveEnum {
    case minor = "MINOR"
    case major = "MAJOR"
    case critical = "CRITICAL"
}

/// A defect code of one stage, as Quality keeps it (`SEWING/OPEN_SEAM`). Codes are unique per system.
public struct DefectCode: Codable, Sendable, Hashable {
    public var code: String
    public var stage: Stage
    public var name: String
    public var severity: DefectSeverity
    public var active: Bool
    /// Grows with every change; readers keep the newest they saw.
    public var version: Int
    public var updatedAt: Date
    public init(
        code: String, stage: Stage, name: String, severity: DefectSeverity, active: Bool = true, version: Int = 1,
        updatedAt: Date
    ) {
        self.code = code
        self.stage = stage
        self.name = name
        self.severity = severity
        self.active = active
        self.version = version
        self.updatedAt = updatedAt
    }
}

/// How many units showed one defect: on a daily input (`defects:[{code, qty}]`) or in an inspection's sample.
public struct DefectCount: Codable, Sendable, Hashable {
    public var code: String
    public var qty: Int
    public init(code: String, qty: Int) {
        self.code = code
        self.qty = qty
    }

    enum CodingKeys: String, CodingKey { case code, qty }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        qty = try container.decodeWholeNumber(forKey: .qty)
    }

    /// The most defect lines one entry or one result may carry.
    public static let maxLines = 50

    /// Each line's qty within 1…`maxQty` and at most `maxLines` lines, named `field[i].qty`.
    public static func problems(_ lines: [DefectCount]?, field: String = "defects", maxQty: Int = 1_000_000) -> [FieldError] {
        guard let lines else { return [] }
        var problems: [FieldError] = []
        if lines.count > maxLines { problems.append(FieldError(field: field, message: "at most \(maxLines) lines")) }
        for (index, line) in lines.enumerated() {
            if let problem = InputRules.check(line.qty, "\(field)[\(index)].qty", in: 1...maxQty) { problems.append(problem) }
        }
        return problems
    }
}

/// One row of the Pareto: a defect code, how many units showed it, its share of all defects and the
/// running (cumulative) share, biggest first.
public struct ParetoLine: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var stage: Stage
    public var severity: DefectSeverity
    public var qty: Int
    public var sharePercent: Double
    public var cumulativePercent: Double
    public init(code: String, name: String, stage: Stage, severity: DefectSeverity, qty: Int, sharePercent: Double, cumulativePercent: Double) {
        self.code = code
        self.name = name
        self.stage = stage
        self.severity = severity
        self.qty = qty
        self.sharePercent = sharePercent
        self.cumulativePercent = cumulativePercent
    }
}

public struct DefectPareto: Codable, Sendable, Hashable {
    public var totalDefects: Int
    /// Good plus rejected output in the same scope (for a code's share of output).
    public var totalOutput: Int
    public var lines: [ParetoLine]
    public init(totalDefects: Int, totalOutput: Int, lines: [ParetoLine]) {
        self.totalDefects = totalDefects
        self.totalOutput = totalOutput
        self.lines = lines
    }
}

public enum InspectionStatus: String, Sendable, CaseInsensitiveEnum {
    case open = "OPEN"
    case passed = "PASSED"
    case failed = "FAILED"
}

/// The ANSI/ASQ Z1.4 single sampling plan of a lot for one AQL: `sampleSize` units are inspected; at
/// most `accept` defective units pass the lot, `reject` or more fail it.
public struct SamplingPlan: Codable, Sendable, Hashable {
    public var aql: Double
    /// The code letter the lot size gave, and the one the master table's arrow led to (may be the same).
    public var codeLetter: String
    public var planLetter: String
    public var sampleSize: Int
    public var accept: Int
    public var reject: Int
    public init(aql: Double, codeLetter: String, planLetter: String, sampleSize: Int, accept: Int, reject: Int) {
        self.aql = aql
        self.codeLetter = codeLetter
        self.planLetter = planLetter
        self.sampleSize = sampleSize
        self.accept = accept
        self.reject = reject
    }
}

public struct InspectedCarton: Codable, Sendable, Hashable {
    public var cartonId: UUID
    public var sscc: String
    public var qty: Int
    /// This carton is one the inspector opens.
    public var open: Bool
    public init(cartonId: UUID, sscc: String, qty: Int, open: Bool) {
        self.cartonId = cartonId
        self.sscc = sscc
        self.qty = qty
        self.open = open
    }
}

/// A final (OQC) inspection lot: cartons of one order, the Z1.4 plan, and once inspected its result.
public struct Inspection: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var orderCode: String
    public var articleCode: String
    public var lotSize: Int
    /// Units to inspect: the larger of the major and minor plans' samples (never more than the lot).
    public var sampleSize: Int
    public var major: SamplingPlan
    public var minor: SamplingPlan
    public var cartons: [InspectedCarton]
    public var status: InspectionStatus
    public var defects: [DefectCount]
    public var criticalFound: Int
    public var majorFound: Int
    public var minorFound: Int
    public var ncrCode: String?
    public var createdBy: String
    public var createdAt: Date
    public var inspectedBy: String?
    public var inspectedAt: Date?
    /// A re-inspection (after rework) of the cartons of this failed lot.
    public var reinspectionOf: String?
    /// Set when the warehouse could not put the verdict into effect on the cartons (why; nothing moved).
    public var stockNote: String?
    public init(
        id: UUID, code: String, orderCode: String, articleCode: String, lotSize: Int, sampleSize: Int, major: SamplingPlan,
        minor: SamplingPlan, cartons: [InspectedCarton], status: InspectionStatus, defects: [DefectCount] = [],
        criticalFound: Int = 0, majorFound: Int = 0, minorFound: Int = 0, ncrCode: String? = nil, createdBy: String,
        createdAt: Date, inspectedBy: String? = nil, inspectedAt: Date? = nil, reinspectionOf: String? = nil
    ) {
        self.reinspectionOf = reinspectionOf
        self.id = id
        self.code = code
        self.orderCode = orderCode
        self.articleCode = articleCode
        self.lotSize = lotSize
        self.sampleSize = sampleSize
        self.major = major
        self.minor = minor
        self.cartons = cartons
        self.status = status
        self.defects = defects
        self.criticalFound = criticalFound
        self.majorFound = majorFound
        self.minorFound = minorFound
        self.ncrCode = ncrCode
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.inspectedBy = inspectedBy
        self.inspectedAt = inspectedAt
    }
}

public enum NCRStatus: String, Sendable, CaseInsensitiveEnum {
    case open = "OPEN"
    case escalated = "ESCALATED"
    case decided = "DECIDED"
}

/// What became of the stock a decision moves (SCRAP, RETURN_TO_SUPPLIER, USE_AS_IS), as Warehouse reported it.
public enum NCRStockStatus: String, Sendable, CaseInsensitiveEnum {
    /// Decided; Warehouse has not answered yet.
    case pending = "PENDING"
    /// Warehouse moved the stock (`stock_note` says what).
    case done = "DONE"
    /// Warehouse could not (not enough stock where the NCR says, say): `stock_note` says why; the NCR may be decided again.
    case failed = "FAILED"
}

public enum NCRDecision: String, Sendable, CaseInsensitiveEnum {
    case rework = "REWORK"
    case useAsIs = "USE_AS_IS"
    case scrap = "SCRAP"
    case returnToSupplier = "RETURN_TO_SUPPLIER"
}

/// A non-conformance report `NCR-YYYYMMDD-NNNN`: what, where, how many; decided by the department's head.
public struct NCR: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var status: NCRStatus
    public var title: String
    public var articleCode: String?
    public var orderCode: String?
    public var inspectionCode: String?
    public var stage: Stage?
    /// For an NCR by hand: the material (or `articleCode`) and the location SCRAP, RETURN_TO_SUPPLIER or
    /// USE_AS_IS move `qty` of (default: the QUARANTINE location).
    public var materialCode: String?
    public var location: String?
    public var qty: Int
    public var notes: String?
    public var decision: NCRDecision?
    public var stockStatus: NCRStockStatus?
    public var stockNote: String?
    /// For REWORK: the stage that reworks `qty` (Production opens a rework SPK there).
    public var reworkStage: Stage?
    public var decisionNotes: String?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var openedBy: String
    public var openedAt: Date
    /// When an undecided NCR escalates to MANAGER.
    public var escalateAt: Date
    public var escalatedAt: Date?
    public init(
        id: UUID, code: String, status: NCRStatus, title: String, articleCode: String?, orderCode: String?, inspectionCode: String?,
        stage: Stage?, qty: Int, notes: String?, decision: NCRDecision? = nil, decisionNotes: String? = nil, decidedBy: String? = nil,
        decidedAt: Date? = nil, openedBy: String, openedAt: Date, escalateAt: Date, escalatedAt: Date? = nil,
        materialCode: String? = nil, location: String? = nil
    ) {
        self.materialCode = materialCode
        self.location = location
        self.id = id
        self.code = code
        self.status = status
        self.title = title
        self.articleCode = articleCode
        self.orderCode = orderCode
        self.inspectionCode = inspectionCode
        self.stage = stage
        self.qty = qty
        self.notes = notes
        self.decision = decision
        self.decisionNotes = decisionNotes
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.escalateAt = escalateAt
        self.escalatedAt = escalatedAt
    }
}

/// Who does what in Quality.
public enum QualityPermissions {
    /// Edit defect codes.
    public static let editCodes: [Role] = [.qcInspector, .productionManager, .manager, .admin]
    /// Open inspections and record their results.
    public static let inspect: [Role] = [.qcInspector, .manager, .admin]
    /// Open an NCR by hand.
    public static let openNCR: [Role] = [.qcInspector, .productionManager, .productionSupervisor, .warehouseManager, .manager, .admin]
    /// Decide an NCR (USE_AS_IS needs `concession`).
    public static let decide: [Role] = [.productionManager, .qcInspector, .manager, .admin]
    public static let concession: [Role] = [.manager, .admin]
}

/// An incoming (receiving) inspection of a material receipt held in QUARANTINE.
public struct IncomingInspection: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    /// The RECEIPT movement that is held.
    public var movementId: UUID
    public var materialCode: String
    public var category: MaterialCategory
    public var qty: Decimal
    public var releaseTo: String
    public var reference: String?
    public var status: InspectionStatus
    public var notes: String?
    public var ncrCode: String?
    public var openedAt: Date
    public var inspectedBy: String?
    public var inspectedAt: Date?
    /// Set when the warehouse could not release the passed receipt (why; nothing moved).
    public var stockNote: String?
    public init(
        id: UUID, code: String, movementId: UUID, materialCode: String, category: MaterialCategory, qty: Decimal, releaseTo: String,
        reference: String?, status: InspectionStatus, notes: String? = nil, ncrCode: String? = nil, openedAt: Date,
        inspectedBy: String? = nil, inspectedAt: Date? = nil
    ) {
        self.id = id
        self.code = code
        self.movementId = movementId
        self.materialCode = materialCode
        self.category = category
        self.qty = qty
        self.releaseTo = releaseTo
        self.reference = reference
        self.status = status
        self.notes = notes
        self.ncrCode = ncrCode
        self.openedAt = openedAt
        self.inspectedBy = inspectedBy
        self.inspectedAt = inspectedAt
    }
}

public enum IncomingVerdict: String, Sendable, CaseInsensitiveEnum {
    case pass = "PASS"
    case fail = "FAIL"
}
