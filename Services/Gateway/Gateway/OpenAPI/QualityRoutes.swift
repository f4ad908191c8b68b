import Foundation

/// The Quality service's routes, in the document's Route style. To be appended to `OpenAPIDocument.routes`
/// (`static let routes: [Route] = [...] + qualityRoutes`) once the document's rewrite lands.
extension OpenAPIDocument {
    static let qualityRoutes: [Route] = [
        Route(method: "get", path: "/api/v1/quality/defect-codes", summary: "Defect codes per stage with their severity (MINOR, MAJOR, CRITICAL)",
              roles: "any signed-in user", query: ["stage", "active", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/quality/defect-codes",
              summary: "Create a defect code, or change an existing one's name, stage, severity or active flag; Production learns it from the event",
              roles: "QC_INSPECTOR, PRODUCTION_MANAGER, MANAGER, ADMIN",
              body: object(["code": "string", "stage": "string", "name": "string", "severity": "string", "active": "boolean"]), status: "201"),
        Route(method: "get", path: "/api/v1/quality/defects/pareto",
              summary: "Defects recorded with daily input, ranked: qty, share and cumulative share per code; total defects and output",
              roles: "any signed-in user", query: ["stage", "article_code", "from", "to"]),
        Route(method: "post", path: "/api/v1/quality/inspections",
              summary: "Open a final (AQL) inspection lot of an order's cartons not yet in finished goods: lot size, ANSI/ASQ Z1.4 level II plans for major and minor AQL, the cartons to open",
              roles: "QC_INSPECTOR, MANAGER, ADMIN", body: object(["order": "string", "cartons": "array"]), status: "201"),
        Route(method: "get", path: "/api/v1/quality/inspections/{id}", summary: "An inspection lot by id or code", roles: "any signed-in user"),
        Route(method: "post", path: "/api/v1/quality/inspections/{id}/result",
              summary: "Record the defective units of the sample per code: PASSED (cartons may enter finished goods) or FAILED (cartons to QUARANTINE, an NCR opens)",
              roles: "QC_INSPECTOR, MANAGER, ADMIN", body: object(["defects": "array", "notes": "string"])),
        Route(method: "get", path: "/api/v1/quality/ncrs", summary: "Non-conformance reports, newest first", roles: "any signed-in user",
              query: ["status", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/quality/ncrs", summary: "Open an NCR by hand (NCR-YYYYMMDD-NNNN)",
              roles: "QC_INSPECTOR, PRODUCTION_SPV, PRODUCTION_MANAGER, WAREHOUSE_MANAGER, MANAGER, ADMIN",
              body: object(["title": "string", "article_code": "string", "order_code": "string", "stage": "string", "qty": "integer", "notes": "string"]),
              status: "201"),
        Route(method: "get", path: "/api/v1/quality/ncrs/{code}", summary: "An NCR by code or id", roles: "any signed-in user"),
        Route(method: "post", path: "/api/v1/quality/ncrs/{code}/decide",
              summary: "Decide an NCR: REWORK (rework_stage, default the NCR's stage: Production opens a rework SPK), USE_AS_IS (MANAGER), SCRAP or RETURN_TO_SUPPLIER; an escalated NCR is decided by MANAGER",
              roles: "PRODUCTION_MANAGER, QC_INSPECTOR, MANAGER, ADMIN", body: object(["decision": "string", "rework_stage": "string", "notes": "string"])),
        Route(method: "get", path: "/api/v1/quality/incoming-inspections",
              summary: "Incoming inspections of material receipts held in QUARANTINE (categories in STITCH_INSPECT_ON_RECEIPT), newest first",
              roles: "any signed-in user", query: ["status", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/quality/incoming-inspections/{id}/result",
              summary: "PASS (the held stock moves from QUARANTINE to where it was received for) or FAIL (it stays; an NCR opens)",
              roles: "QC_INSPECTOR, MANAGER, ADMIN", body: object(["result": "string", "notes": "string"])),
    ]
}
