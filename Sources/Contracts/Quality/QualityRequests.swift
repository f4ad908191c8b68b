import Foundation

/// `POST /api/v1/quality/defect-codes` (QC_INSPECTOR, PRODUCTION_MANAGER, MANAGER, ADMIN): creates a
/// code, or changes the name, severity or active flag of an existing one (same code).
public struct SaveDefectCode: Command {
    public static let messageType = "quality.defect-code.save.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = DefectCode
    public var code: String
    public var stage: Stage
    public var name: String
    public var severity: DefectSeverity
    public var active: Bool?
    public init(code: String, stage: Stage, name: String, severity: DefectSeverity, active: Bool? = nil) {
        self.code = code
        self.stage = stage
        self.name = name
        self.severity = severity
        self.active = active
    }
}

/// `GET /api/v1/quality/defect-codes?stage=&active=`
public struct ListDefectCodes: Query {
    public static let messageType = "quality.defect-code.list.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Page<DefectCode>
    public var stage: Stage?
    public var active: Bool?
    public var page: PageRequest
    public init(stage: Stage? = nil, active: Bool? = nil, page: PageRequest = PageRequest()) {
        self.stage = stage
        self.active = active
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `GET /api/v1/quality/defects/pareto?stage=&article_code=&from=&to=`: defects from daily input, ranked.
public struct GetDefectPareto: Query {
    public static let messageType = "quality.defect.pareto.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = DefectPareto
    public var stage: Stage?
    public var articleCode: String?
    public var from: LocalDate?
    public var to: LocalDate?
    public init(stage: Stage? = nil, articleCode: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil) {
        self.stage = stage
        self.articleCode = articleCode
        self.from = from
        self.to = to
    }
}

/// `POST /api/v1/quality/inspections {order, cartons}` (QC_INSPECTOR, MANAGER, ADMIN): a final
/// inspection lot of an order's cartons that are not in finished goods yet, with its Z1.4 plan.
public struct OpenInspection: Command {
    public static let messageType = "quality.inspection.open.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Inspection
    public var order: String
    public var cartons: [String]
    public init(order: String, cartons: [String]) {
        self.order = order
        self.cartons = cartons
    }
    public static let maxCartons = 500
    public var inputProblems: [FieldError] {
        (1...Self.maxCartons).contains(cartons.count) ? [] : [FieldError(field: "cartons", message: "must name 1 to \(Self.maxCartons) cartons")]
    }
}

/// `POST /api/v1/quality/inspections/{id}/result {defects:[{code, qty}]}` (QC_INSPECTOR): defective
/// units of the sample per code → PASSED or FAILED by the plans' accept numbers.
public struct RecordInspectionResult: Command {
    public static let messageType = "quality.inspection.record-result.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Inspection
    public var inspection: String
    public var defects: [DefectCount]
    public var notes: String?
    public init(inspection: String, defects: [DefectCount], notes: String? = nil) {
        self.inspection = inspection
        self.defects = defects
        self.notes = notes
    }
    public var inputProblems: [FieldError] { DefectCount.problems(defects) }
}

/// `POST /api/v1/quality/inspections/{id}/reinspect` (QC_INSPECTOR, MANAGER, ADMIN): after REWORK, a new lot of
/// a FAILED lot's cartons still in QUARANTINE; its PASS releases them so they can be confirmed.
public struct ReinspectLot: Command {
    public static let messageType = "quality.inspection.reinspect.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Inspection
    public var inspection: String
    public init(inspection: String) { self.inspection = inspection }
}

/// `GET /api/v1/quality/inspections/{id}` by id or code.
public struct GetInspection: Query {
    public static let messageType = "quality.inspection.get.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Inspection
    public var inspection: String
    public init(inspection: String) { self.inspection = inspection }
}

/// `POST /api/v1/quality/ncrs` by hand.
public struct OpenNCR: Command {
    public static let messageType = "quality.ncr.open.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = NCR
    public var title: String
    public var articleCode: String?
    public var orderCode: String?
    public var stage: Stage?
    /// What and where a SCRAP, RETURN_TO_SUPPLIER or USE_AS_IS decision moves: a material (or the article) and a location
    /// (default: QUARANTINE).
    public var materialCode: String?
    public var location: String?
    public var qty: Int
    public var notes: String?
    public init(
        title: String, articleCode: String? = nil, orderCode: String? = nil, stage: Stage? = nil, qty: Int, notes: String? = nil,
        materialCode: String? = nil, location: String? = nil
    ) {
        self.materialCode = materialCode
        self.location = location
        self.title = title
        self.articleCode = articleCode
        self.orderCode = orderCode
        self.stage = stage
        self.qty = qty
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey { case title, articleCode, orderCode, stage, materialCode, location, qty, notes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        articleCode = try container.decodeIfPresent(String.self, forKey: .articleCode)
        orderCode = try container.decodeIfPresent(String.self, forKey: .orderCode)
        stage = try container.decodeIfPresent(Stage.self, forKey: .stage)
        materialCode = try container.decodeIfPresent(String.self, forKey: .materialCode)
        location = try container.decodeIfPresent(String.self, forKey: .location)
        qty = try container.decodeWholeNumber(forKey: .qty)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
    }

    public var inputProblems: [FieldError] { [InputRules.check(qty, "qty", in: 1...InputRules.quantity.upperBound)].compactMap { $0 } }
}

/// `POST /api/v1/quality/ncrs/{code}/decide {decision, notes}`
public struct DecideNCR: Command {
    public static let messageType = "quality.ncr.decide.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = NCR
    public var ncr: String
    public var decision: NCRDecision
    /// For REWORK: which stage reworks (default: the NCR's stage).
    public var reworkStage: Stage?
    public var notes: String?
    public init(ncr: String, decision: NCRDecision, reworkStage: Stage? = nil, notes: String? = nil) {
        self.ncr = ncr
        self.decision = decision
        self.reworkStage = reworkStage
        self.notes = notes
    }
}

/// `GET /api/v1/quality/ncrs/{code}`
public struct GetNCR: Query {
    public static let messageType = "quality.ncr.get.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = NCR
    public var ncr: String
    public init(ncr: String) { self.ncr = ncr }
}

/// `GET /api/v1/quality/ncrs?status=`
public struct ListNCRs: Query {
    public static let messageType = "quality.ncr.list.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Page<NCR>
    public var status: NCRStatus?
    public var page: PageRequest
    public init(status: NCRStatus? = nil, page: PageRequest = PageRequest()) {
        self.status = status
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `GET /api/v1/quality/incoming-inspections?status=`
public struct ListIncomingInspections: Query {
    public static let messageType = "quality.incoming-inspection.list.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = Page<IncomingInspection>
    public var status: InspectionStatus?
    public var page: PageRequest
    public init(status: InspectionStatus? = nil, page: PageRequest = PageRequest()) {
        self.status = status
        self.page = page
    }
    public var inputProblems: [FieldError] { page.problems }
}

/// `POST /api/v1/quality/incoming-inspections/{id}/result {result: PASS|FAIL, notes}` (QC_INSPECTOR):
/// PASS releases the held stock to where it was received for; FAIL keeps it in QUARANTINE and opens an NCR.
public struct RecordIncomingResult: Command {
    public static let messageType = "quality.incoming-inspection.record-result.v1"
    public static let owner = ServiceName.quality
    public typealias Reply = IncomingInspection
    public var inspection: String
    public var result: IncomingVerdict
    public var notes: String?
    public init(inspection: String, result: IncomingVerdict, notes: String? = nil) {
        self.inspection = inspection
        self.result = result
        self.notes = notes
    }
}
