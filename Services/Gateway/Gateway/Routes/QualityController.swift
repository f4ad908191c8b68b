import Contracts
import Foundation
import Hummingbird

/// Defect codes and the line's defects, final inspections (AQL), incoming inspections and NCRs,
/// owned by the Quality service.
struct QualityController: Sendable {
    struct CodeQuery: Decodable, Sendable, PagedQuery {
        var stage: Stage?
        var active: Bool?
        var page: Int?
        var perPage: Int?
    }

    struct ParetoQuery: Decodable, Sendable {
        var stage: Stage?
        var articleCode: String?
        var from: LocalDate?
        var to: LocalDate?
    }

    struct StatusQuery<Status: Decodable & Sendable>: Decodable, Sendable, PagedQuery {
        var status: Status?
        var page: Int?
        var perPage: Int?
    }

    struct ResultBody: Codable, Sendable, BoundedInput {
        /// Defective units of the sample per code (none: the sample was clean).
        var defects: [DefectCount]?
        var notes: String?
        var inputProblems: [FieldError] { DefectCount.problems(defects) }
    }

    struct DecisionBody: Codable, Sendable {
        var decision: NCRDecision
        /// For REWORK: the stage that reworks (default: the NCR's stage).
        var reworkStage: Stage?
        var notes: String?
    }

    struct IncomingResultBody: Codable, Sendable {
        var result: IncomingVerdict
        var notes: String?
    }

    func register(on quality: APIRoutes) {
        let anyUser = Access.signedIn()
        let inspectors = Access.roles(QualityPermissions.inspect)
        quality.add(
            .get, "defect-codes", "Defect codes per stage with their severity (MINOR, MAJOR, CRITICAL)", access: anyUser,
            query: CodeQuery.self, reply: Listed<DefectCode>.self
        ) { call in
            Listed(try await call.send(ListDefectCodes(stage: call.query.stage, active: call.query.active, page: call.query.pageRequest)))
        }
        quality.add(
            .post, "defect-codes",
            "Create a defect code, or change an existing one's name, stage, severity or active flag; Production learns it from the event",
            access: .roles(QualityPermissions.editCodes), body: SaveDefectCode.self, reply: DefectCode.self, status: .created
        ) {
            try await $0.send($0.body)
        }
        quality.add(
            .get, "defects/pareto",
            "Defects recorded with daily input, ranked: qty, share and cumulative share per code; total defects and output",
            access: anyUser, query: ParetoQuery.self, reply: DefectPareto.self
        ) { call in
            try await call.send(
                GetDefectPareto(
                    stage: call.query.stage, articleCode: call.query.articleCode, from: call.query.from,
                    to: call.query.to))
        }
        quality.add(
            .post, "inspections",
            "Open a final (AQL) inspection lot of an order's cartons not yet in finished goods: lot size, ANSI/ASQ Z1.4 level II plans for major and minor AQL, the cartons to open",
            access: inspectors, body: OpenInspection.self, reply: Inspection.self, status: .created
        ) { try await $0.send($0.body) }
        quality.add(.get, "inspections/:id", "An inspection lot by id or code", access: anyUser, reply: Inspection.self) {
            try await $0.send(GetInspection(inspection: try $0.parameter("id")))
        }
        quality.add(
            .post, "inspections/:id/result",
            "Record the defective units of the sample per code: PASSED (cartons may enter finished goods) or FAILED (cartons to QUARANTINE, an NCR opens)",
            access: inspectors, body: ResultBody.self, reply: Inspection.self
        ) { call in
            try await call.send(
                RecordInspectionResult(
                    inspection: try call.parameter("id"), defects: call.body.defects ?? [],
                    notes: call.body.notes))
        }
        quality.add(
            .post, "inspections/:id/reinspect",
            "After an NCR's REWORK: a new lot of a FAILED lot's cartons still in QUARANTINE, with its own plan; its PASS releases them so they can be confirmed into finished goods",
            access: inspectors, reply: Inspection.self, status: .created
        ) {
            try await $0.send(ReinspectLot(inspection: try $0.parameter("id")))
        }
        quality.add(
            .get, "incoming-inspections",
            "Incoming inspections of material receipts held in QUARANTINE (categories in STITCH_INSPECT_ON_RECEIPT), newest first",
            access: anyUser, query: StatusQuery<InspectionStatus>.self, reply: Listed<IncomingInspection>.self
        ) { call in
            Listed(try await call.send(ListIncomingInspections(status: call.query.status, page: call.query.pageRequest)))
        }
        quality.add(
            .post, "incoming-inspections/:id/result",
            "PASS (the held stock moves from QUARANTINE to where it was received for) or FAIL (it stays; an NCR opens)",
            access: inspectors, body: IncomingResultBody.self, reply: IncomingInspection.self
        ) { call in
            try await call.send(RecordIncomingResult(inspection: try call.parameter("id"), result: call.body.result, notes: call.body.notes))
        }
        quality.add(
            .get, "ncrs", "Non-conformance reports, newest first", access: anyUser, query: StatusQuery<NCRStatus>.self,
            reply: Listed<NCR>.self
        ) { call in
            Listed(try await call.send(ListNCRs(status: call.query.status, page: call.query.pageRequest)))
        }
        quality.add(
            .post, "ncrs", "Open an NCR by hand (NCR-YYYYMMDD-NNNN)", access: .roles(QualityPermissions.openNCR),
            body: OpenNCR.self, reply: NCR.self, status: .created
        ) { try await $0.send($0.body) }
        quality.add(.get, "ncrs/:code", "An NCR by code or id", access: anyUser, reply: NCR.self) {
            try await $0.send(GetNCR(ncr: try $0.parameter("code")))
        }
        quality.add(
            .post, "ncrs/:code/decide",
            "Decide an NCR: REWORK (rework_stage, default the NCR's stage: Production opens a rework SPK), USE_AS_IS (MANAGER: quarantined goods released), SCRAP (Warehouse scraps, BOMFinance values) or RETURN_TO_SUPPLIER (material only); an escalated NCR is decided by MANAGER. stock_status follows what Warehouse did: PENDING, DONE or FAILED (then it may be decided again)",
            access: .roles(QualityPermissions.decide), body: DecisionBody.self, reply: NCR.self
        ) { call in
            try await call.send(
                DecideNCR(
                    ncr: try call.parameter("code"), decision: call.body.decision, reworkStage: call.body.reworkStage,
                    notes: call.body.notes))
        }
    }
}
