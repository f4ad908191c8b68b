import Foundation

/// A defect code was created or changed. Production keeps a copy to check daily input's `defects`.
public struct DefectCodeSaved: Event {
    public static let messageType = "quality.defect-code.saved.v1"
    public var defectCode: DefectCode
    public init(defectCode: DefectCode) { self.defectCode = defectCode }
}

/// A final inspection lot was opened: Warehouse holds its cartons out of finished goods until it passes.
public struct InspectionOpened: Event {
    public static let messageType = "quality.inspection.opened.v1"
    public var inspection: Inspection
    public init(inspection: Inspection) { self.inspection = inspection }
}

/// The lot passed: Warehouse may confirm its cartons into FINISHED_GOODS.
public struct InspectionPassed: Event {
    public static let messageType = "quality.inspection.passed.v1"
    public var inspection: Inspection
    public init(inspection: Inspection) { self.inspection = inspection }
}

/// The lot failed: Warehouse moves its cartons to QUARANTINE; an NCR is open (`inspection.ncrCode`).
public struct InspectionFailed: Event {
    public static let messageType = "quality.inspection.failed.v1"
    public var inspection: Inspection
    public init(inspection: Inspection) { self.inspection = inspection }
}

public struct NCROpened: Event {
    public static let messageType = "quality.ncr.opened.v1"
    public var ncr: NCR
    public init(ncr: NCR) { self.ncr = ncr }
}

/// Undecided past its escalation time: the manager decides now; PPIC shows it as an alert.
public struct NCREscalated: Event {
    public static let messageType = "quality.ncr.escalated.v1"
    public var ncr: NCR
    public init(ncr: NCR) { self.ncr = ncr }
}

/// Decided: REWORK (Production opens a rework SPK for `qty`), USE_AS_IS, SCRAP, RETURN_TO_SUPPLIER.
public struct NCRDecided: Event {
    public static let messageType = "quality.ncr.decided.v1"
    public var ncr: NCR
    public init(ncr: NCR) { self.ncr = ncr }
}

/// A held receipt passed its incoming inspection: Warehouse moves it from QUARANTINE to `releaseTo`.
public struct IncomingInspectionPassed: Event {
    public static let messageType = "quality.incoming-inspection.passed.v1"
    public var inspection: IncomingInspection
    public init(inspection: IncomingInspection) { self.inspection = inspection }
}

/// A held receipt failed: it stays in QUARANTINE; an NCR is open (`inspection.ncrCode`).
public struct IncomingInspectionFailed: Event {
    public static let messageType = "quality.incoming-inspection.failed.v1"
    public var inspection: IncomingInspection
    public init(inspection: IncomingInspection) { self.inspection = inspection }
}
