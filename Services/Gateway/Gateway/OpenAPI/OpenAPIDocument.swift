import Contracts
import Foundation
import Hummingbird

/// `GET /openapi.json` (OpenAPI 3.1, every route) and `/docs` (a page that lists it, no CDN needed).
enum OpenAPIDocument {
    struct Route: @unchecked Sendable {  // immutable after construction; `body` holds plain JSON values
        var method: String
        var path: String
        var summary: String
        var roles: String
        var body: [String: Any]? = nil
        var query: [String] = []
        var status = "200"
        /// The body's media type; `text/csv` bodies are plain strings.
        var contentType = "application/json"
    }

    static let routes: [Route] = [
        Route(method: "post", path: "/api/v1/auth/login", summary: "Sign in; returns an access and a refresh token", roles: "anyone",
              body: object(["username": "string", "password": "string"])),
        Route(method: "post", path: "/api/v1/auth/refresh", summary: "Trade a refresh token for new tokens (the old one stops working)",
              roles: "anyone", body: object(["refresh_token": "string"])),
        Route(method: "post", path: "/api/v1/auth/logout", summary: "Revoke a refresh token and its session", roles: "anyone",
              body: object(["refresh_token": "string"])),
        Route(method: "get", path: "/api/v1/auth/me", summary: "The signed-in user", roles: "any signed-in user"),
        Route(method: "get", path: "/api/v1/users", summary: "List users", roles: "ADMIN, MANAGER", query: ["page", "per_page"]),
        Route(method: "post", path: "/api/v1/users", summary: "Create a user", roles: "ADMIN",
              body: object(["username": "string", "password": "string", "full_name": "string", "roles": "array",
                            "department": "string"]), status: "201"),
        Route(method: "post", path: "/api/v1/production/spks", summary: "Create an SPK (work order)",
              roles: "PPIC_MANAGER, PRODUCTION_MANAGER, MANAGER, ADMIN",
              body: object(["article_code": "string", "stage": "string", "department": "string", "original_qty": "integer",
                            "start_date": "date", "due_date": "date", "notes": "string"]), status: "201"),
        Route(method: "get", path: "/api/v1/production/spks", summary: "List SPKs", roles: "any signed-in user",
              query: ["status", "stage", "department", "due_before", "due_after", "order", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/production/spks/{id}", summary: "One SPK by id or code", roles: "any signed-in user"),
        Route(method: "post", path: "/api/v1/production/spk/{id}/daily-input", summary: "Record a day's output for an SPK",
              roles: "PRODUCTION_STAFF (own department), PRODUCTION_SPV, PRODUCTION_MANAGER, MANAGER, ADMIN",
              body: object(["date": "date", "qty": "integer", "reject_qty": "integer", "shift": "string", "operator_id": "string",
                            "notes": "string", "client_entry_id": "string"])),
        Route(method: "get", path: "/api/v1/production/spk/{id}/progress", summary: "Target, cumulative output and daily totals",
              roles: "any signed-in user"),
        Route(method: "get", path: "/api/v1/production/my-spks", summary: "Open SPKs of the caller's department",
              roles: "any signed-in user"),
        Route(method: "post", path: "/api/v1/production/mobile/daily-input",
              summary: "A phone's offline backlog (≤ 500 entries), each answered recorded, duplicate or rejected",
              roles: "PRODUCTION_STAFF, PRODUCTION_SPV, PRODUCTION_MANAGER, MANAGER, ADMIN", body: object(["entries": "array"])),
        Route(method: "post", path: "/api/v1/production/spk/{id}/hold", summary: "Hold an SPK (no input until resumed)",
              roles: "PRODUCTION_SPV, PRODUCTION_MANAGER, PPIC_MANAGER, MANAGER, ADMIN", body: object(["reason": "string"])),
        Route(method: "post", path: "/api/v1/production/spk/{id}/resume", summary: "Resume a held SPK",
              roles: "PRODUCTION_SPV, PRODUCTION_MANAGER, PPIC_MANAGER, MANAGER, ADMIN", body: object(["reason": "string"])),
        Route(method: "post", path: "/api/v1/production/spk/{id}/cancel", summary: "Cancel an SPK that is not finished",
              roles: "PRODUCTION_MANAGER, PPIC_MANAGER, MANAGER, ADMIN", body: object(["reason": "string"])),
        Route(method: "post", path: "/api/v1/production/spk/{id}/close", summary: "Close a started SPK short of its target",
              roles: "PRODUCTION_MANAGER, PPIC_MANAGER, MANAGER, ADMIN", body: object(["reason": "string"])),
        Route(method: "post", path: "/api/v1/production/daily-input/{entry_id}/void",
              summary: "Void a wrong daily entry: a reversal is recorded, totals and status follow",
              roles: "PRODUCTION_SPV, PRODUCTION_MANAGER, MANAGER, ADMIN", body: object(["reason": "string"])),
        Route(method: "post", path: "/api/v1/production/orders",
              summary: "Create a manufacturing order (MO-YYYYMMDD-NNNN) and one SPK per stage of its route, dates spread over its window",
              roles: "PPIC_MANAGER, PRODUCTION_MANAGER, MANAGER, ADMIN",
              body: object(["article_code": "string", "qty": "integer", "start_date": "date", "due_date": "date", "stages": "array",
                            "notes": "string"]), status: "201"),
        Route(method: "get", path: "/api/v1/production/orders", summary: "List manufacturing orders, newest first",
              roles: "any signed-in user", query: ["status", "article_code", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/production/orders/{id}", summary: "An order by id or code, with its SPKs and progress",
              roles: "any signed-in user"),
        Route(method: "get", path: "/api/v1/production/current-shift", summary: "The shift running now in the factory's time zone",
              roles: "any signed-in user"),
        Route(method: "get", path: "/api/v1/production/mobile/sync",
              summary: "A phone's sync: the department's open SPKs, or only what changed since the cursor",
              roles: "users with a production department", query: ["since"]),
        Route(method: "post", path: "/api/v1/production/spk/{id}/request-modification",
              summary: "Ask to change an SPK's target (also /modify-qty); goes through the approval chain",
              roles: "PRODUCTION_SPV, PRODUCTION_MANAGER, PPIC_MANAGER", body: object(["new_qty": "integer", "reason": "string"]),
              status: "201"),
        Route(method: "post", path: "/api/v1/production/spk/{id}/modify-qty", summary: "Same as request-modification",
              roles: "PRODUCTION_SPV, PRODUCTION_MANAGER, PPIC_MANAGER", body: object(["new_qty": "integer", "reason": "string"]),
              status: "201"),
        Route(method: "post", path: "/api/v1/production/material-debt/request", summary: "Ask to issue material the warehouse does not have",
              roles: "PRODUCTION_SPV, PRODUCTION_MANAGER",
              body: object(["spk_id": "string", "material_code": "string", "qty": "number", "reason": "string"]), status: "201"),
        Route(method: "get", path: "/api/v1/production/material-debt", summary: "Material debt requests", roles: "any signed-in user",
              query: ["status", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/production/material-debt/pending", summary: "Material debt requests still pending",
              roles: "any signed-in user", query: ["page", "per_page"]),
        Route(method: "get", path: "/api/v1/production/approvals/pending",
              summary: "What waits for the caller's roles at its current level, oldest first", roles: "any signed-in user",
              query: ["page", "per_page"]),
        Route(method: "post", path: "/api/v1/production/approvals/{id}/approve",
              summary: "Decide the current level: approved true/false (a rejection needs notes)",
              roles: "the level's role; never the requester", body: object(["approved": "boolean", "notes": "string"])),
        Route(method: "post", path: "/api/v1/production/approvals/{id}/cancel", summary: "Withdraw a pending request",
              roles: "the requester"),
        Route(method: "get", path: "/api/v1/approvals/{id}", summary: "A request with every decision", roles: "any signed-in user"),
        Route(method: "get", path: "/api/v1/ppic/dashboard",
              summary: "SPK counts, delays, progress by stage, health counts and the 5 most urgent alerts",
              roles: "PPIC_MANAGER, PPIC_STAFF, MANAGER, ADMIN"),
        Route(method: "get", path: "/api/v1/ppic/reports/daily-summary",
              summary: "A day's planned target against good output recorded for it, in all and per stage (date: default today)",
              roles: "PPIC_MANAGER, PPIC_STAFF, MANAGER, ADMIN", query: ["date"]),
        Route(method: "get", path: "/api/v1/ppic/reports/on-track-status",
              summary: "Unfinished SPKs by health (ON_TRACK, AT_RISK, OFF_TRACK), worst first, with counts over the filter",
              roles: "PPIC_MANAGER, PPIC_STAFF, MANAGER, ADMIN", query: ["stage", "health", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/ppic/reports/finished-goods",
              summary: "Finished goods the warehouse confirmed on a day (default today), per order with the order's total so far",
              roles: "PPIC_MANAGER, PPIC_STAFF, MANAGER, ADMIN", query: ["date"]),
        Route(method: "get", path: "/api/v1/ppic/alerts",
              summary: "Critical and warning alerts, most urgent first, at most limit (default 100) of each, with totals",
              roles: "PPIC_MANAGER, PPIC_STAFF, MANAGER, ADMIN", query: ["limit"]),
        Route(method: "post", path: "/api/v1/master/materials", summary: "Create a material (a standard cost needs FINANCE or ADMIN)",
              roles: "ADMIN, PPIC_MANAGER, FINANCE",
              body: object(["code": "string", "name": "string", "category": "string", "unit": "string", "standard_cost": "number",
                            "cost_effective_from": "date"]), status: "201"),
        Route(method: "get", path: "/api/v1/master/materials", summary: "List materials (standard cost only for FINANCE, MANAGER, ADMIN)",
              roles: "any signed-in user", query: ["category", "search", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/master/materials/import",
              summary: "Import materials from CSV (code,name,category,unit[,standard_cost[,effective_from]]); all or nothing, each line answered",
              roles: "ADMIN, PPIC_MANAGER, FINANCE", body: ["type": "string"], contentType: "text/csv"),
        Route(method: "get", path: "/api/v1/master/materials/{code}", summary: "A material with its cost history",
              roles: "any signed-in user (cost history: FINANCE, MANAGER, ADMIN)"),
        Route(method: "put", path: "/api/v1/master/materials/{code}", summary: "Change a material's name, category, unit or active flag",
              roles: "ADMIN, PPIC_MANAGER, FINANCE", body: object(["name": "string", "category": "string", "unit": "string", "active": "boolean"])),
        Route(method: "post", path: "/api/v1/master/materials/{code}/cost",
              summary: "A new standard cost from a date (the old one is kept); articles using it are re-costed",
              roles: "FINANCE, ADMIN", body: object(["cost": "number", "effective_from": "date", "reason": "string"])),
        Route(method: "post", path: "/api/v1/master/articles", summary: "Create an article with its route and labour minutes per stage",
              roles: "ADMIN, PPIC_MANAGER, FINANCE",
              body: object(["code": "string", "name": "string", "customer": "string", "route": "array", "labour_minutes": "array"]),
              status: "201"),
        Route(method: "post", path: "/api/v1/master/articles/import",
              summary: "Import articles from CSV (code,name[,customer][,route as CUTTING>SEWING][,labour_minutes as CUTTING:3;SEWING:14.5]); all or nothing, each line answered",
              roles: "ADMIN, PPIC_MANAGER, FINANCE", body: ["type": "string"], contentType: "text/csv"),
        Route(method: "get", path: "/api/v1/master/articles", summary: "List articles", roles: "any signed-in user",
              query: ["search", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/master/articles/{code}", summary: "An article", roles: "any signed-in user"),
        Route(method: "put", path: "/api/v1/master/articles/{code}", summary: "Change an article (route, labour minutes, name, customer, active)",
              roles: "ADMIN, PPIC_MANAGER, FINANCE",
              body: object(["name": "string", "customer": "string", "route": "array", "labour_minutes": "array", "active": "boolean"])),
        Route(method: "post", path: "/api/v1/bom/create",
              summary: "Create a DRAFT BOM version (BOM-<ARTICLE>-NNN); lines name a material or a sub-assembly article; a cycle is 422",
              roles: "ADMIN, PPIC_MANAGER, FINANCE", body: object(["article_code": "string", "lines": "array", "notes": "string"]), status: "201"),
        Route(method: "get", path: "/api/v1/bom/list", summary: "List BOM versions", roles: "any signed-in user",
              query: ["article_code", "status", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/bom/requirements",
              summary: "What an order needs from the BOM version it is pinned to (exploded × qty, scrap included)",
              roles: "any signed-in user", query: ["order"]),
        Route(method: "get", path: "/api/v1/bom/{id}", summary: "A BOM version; explode=true adds the flat multi-level material list",
              roles: "any signed-in user", query: ["explode"]),
        Route(method: "put", path: "/api/v1/bom/{id}", summary: "Change a DRAFT (an ACTIVE version answers 409: create a new version)",
              roles: "ADMIN, PPIC_MANAGER, FINANCE", body: object(["lines": "array", "notes": "string"])),
        Route(method: "delete", path: "/api/v1/bom/{id}", summary: "Delete a DRAFT; archive any other version", roles: "ADMIN, PPIC_MANAGER, FINANCE"),
        Route(method: "post", path: "/api/v1/bom/{id}/new-version", summary: "Copy a version as the article's next DRAFT",
              roles: "ADMIN, PPIC_MANAGER, FINANCE", status: "201"),
        Route(method: "post", path: "/api/v1/bom/{id}/activate",
              summary: "Make a version the article's one ACTIVE BOM (the previous one becomes SUPERSEDED)", roles: "ADMIN, PPIC_MANAGER, FINANCE"),
        Route(method: "get", path: "/api/v1/costing/articles/{code}",
              summary: "An article's standard cost by material and stage, as it was on a date (default today)", roles: "FINANCE, MANAGER, ADMIN",
              query: ["at"]),
        Route(method: "get", path: "/api/v1/costing/orders/{code}",
              summary: "An order's planned and actual cost, reject cost and variance by material and stage", roles: "FINANCE, MANAGER, ADMIN"),
        Route(method: "get", path: "/api/v1/inventory/locations", summary: "Stock locations by code", roles: "any signed-in user",
              query: ["type", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/inventory/locations",
              summary: "Create a location (RAW_MATERIAL, FLOOR with its department, FINISHED_GOODS, QUARANTINE, RETURNS, SHIPPING)",
              roles: "WAREHOUSE_MANAGER, ADMIN", body: object(["code": "string", "name": "string", "type": "string", "department": "string"]),
              status: "201"),
        Route(method: "get", path: "/api/v1/inventory/balances", summary: "Balances per item × location", roles: "any signed-in user",
              query: ["item", "location", "location_type", "page", "per_page"]),
        Route(method: "get", path: "/api/v1/inventory/movements", summary: "The movement journal, newest first", roles: "any signed-in user",
              query: ["item", "location", "type", "reference", "from", "to", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/inventory/movements",
              summary: "Post a RECEIPT, TRANSFER, ADJUSTMENT (reason, managers) or SCRAP (reason); or reverse a movement (reverses, reason, managers). Stock never goes negative (422 with what is available)",
              roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN", body: object(["type": "string", "item_code": "string", "qty": "number", "from_location": "string",
                                        "to_location": "string", "reference": "string", "reason": "string", "reverses": "string"]),
              status: "201"),
        Route(method: "post", path: "/api/v1/inventory/issues",
              summary: "Issue material RAW_MATERIAL → the department's FLOOR for an order or SPK; without lines, what the order still needs. Short: 422 per material",
              roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN", body: object(["order": "string", "spk": "string", "department": "string", "lines": "array"]), status: "201"),
        Route(method: "post", path: "/api/v1/inventory/returns", summary: "Return material from the floor to the raw-material store",
              roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN", body: object(["order": "string", "spk": "string", "department": "string", "lines": "array"]), status: "201"),
        Route(method: "get", path: "/api/v1/inventory/material-debts", summary: "Material debts (OPEN or SETTLED), newest first",
              roles: "any signed-in user", query: ["status", "page", "per_page"]),
        Route(method: "post", path: "/api/v1/warehouse/cartons", summary: "Register a finished-goods carton: SSCC-18 and its label (ZPL and text)",
              roles: "PRODUCTION_STAFF (PACKING), PRODUCTION_SPV, PRODUCTION_MANAGER, MANAGER, ADMIN",
              body: object(["spk": "string", "article_code": "string", "qty": "integer"]), status: "201"),
        Route(method: "get", path: "/api/v1/warehouse/cartons/{id}", summary: "A carton by id or SSCC", roles: "any signed-in user"),
        Route(method: "post", path: "/api/v1/warehouse/finishgood/receive", summary: "Receive a carton by id or scanned barcode (SSCC)",
              roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN", body: object(["carton_id": "string", "barcode": "string"])),
        Route(method: "post", path: "/api/v1/warehouse/finishgood/verify",
              summary: "Verify a received carton's article: VERIFIED, or QUARANTINED into QUARANTINE with the discrepancy",
              roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN", body: object(["carton_id": "string", "barcode": "string", "article": "string"])),
        Route(method: "post", path: "/api/v1/warehouse/finishgood/confirm",
              summary: "Confirm a verified carton into FINISHED_GOODS (FG_RECEIPT); a qty that differs needs a reason",
              roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN", body: object(["carton_id": "string", "barcode": "string", "qty": "integer", "reason": "string"])),
        Route(method: "post", path: "/api/v1/warehouse/finishgood/{id}/shipment",
              summary: "Ship confirmed cartons on a delivery note DN-YYYYMMDD-NNNN", roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN",
              body: object(["destination": "string", "method": "string", "cartons": "array"]), status: "201"),
        Route(method: "get", path: "/api/v1/warehouse/delivery-notes/{code}", summary: "A delivery note with its packing list",
              roles: "any signed-in user"),
        Route(method: "post", path: "/api/v1/warehouse/returns",
              summary: "A customer return against a delivery note: into RETURNS, then RESTOCK, REWORK or SCRAP", roles: "WAREHOUSE_STAFF, WAREHOUSE_MANAGER, ADMIN",
              body: object(["delivery_note": "string", "lines": "array", "disposition": "string"]), status: "201"),
        Route(method: "get", path: "/health", summary: "The gateway is alive", roles: "anyone"),
        Route(method: "get", path: "/openapi.json", summary: "This document", roles: "anyone"),
        Route(method: "get", path: "/docs", summary: "Browse this document", roles: "anyone"),
    ]

    static func object(_ fields: [String: String]) -> [String: Any] {
        var properties: [String: Any] = [:]
        for (name, type) in fields {
            properties[name] = type == "date" ? ["type": "string", "format": "date"] : ["type": type]
        }
        return ["type": "object", "properties": properties]
    }

    /// The highest `page` a list accepts in the document (a client generator and the fuzzer see the bound).
    static let maxPage = 1_000_000

    /// A query parameter's schema: numbers are bounded integers, dates are dates, the rest strings.
    static func querySchema(_ name: String) -> [String: Any] {
        switch name {
        case "page": ["type": "integer", "minimum": 1, "maximum": maxPage, "default": 1]
        case "per_page": ["type": "integer", "minimum": 1, "maximum": PageRequest.maxPerPage, "default": PageRequest.defaultPerPage]
        case "limit": ["type": "integer", "minimum": 1, "maximum": GetAlerts.maxLimit, "default": GetAlerts.defaultLimit]
        case "date", "due_before", "due_after", "at": ["type": "string", "format": "date"]
        case "explode": ["type": "boolean", "default": false]
        case "category": ["type": "string", "enum": MaterialCategory.allCases.map(\.rawValue)]
        case "search", "article_code", "order": ["type": "string", "maxLength": InputRules.maxTextLength]
        default: ["type": "string"]
        }
    }

    static let json: Data = {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            var operation: [String: Any] = [
                "summary": route.summary,
                "description": "Roles: \(route.roles).",
                "responses": [
                    route.status: ["description": "Success: {\"data\": …} (lists add \"meta\": {page, per_page, total})"],
                    "400": ["description": "Malformed request or invalid fields (error.details names them)"],
                    "401": ["description": "No or bad token"], "403": ["description": "Role or department not allowed"],
                    "404": ["description": "Not found"], "409": ["description": "State conflict"],
                    "422": ["description": "A business rule is broken"], "503": ["description": "A service is unavailable"],
                    "504": ["description": "No reply in time"],
                ],
            ]
            var parameters: [[String: Any]] = route.query.map { ["name": $0, "in": "query", "schema": querySchema($0)] }
            if route.path.contains("{entry_id}") {
                parameters.append(["name": "entry_id", "in": "path", "required": true, "schema": ["type": "string"]])
            }
            if route.path.contains("{code}") {
                parameters.append(["name": "code", "in": "path", "required": true,
                                   "schema": ["type": "string", "pattern": "^[A-Za-z0-9_.-]{1,40}$"]])
            }
            if route.path.contains("{id}") {
                parameters.append(["name": "id", "in": "path", "required": true, "schema": ["type": "string"],
                                   "description": "The id or the code"])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = route.body {
                operation["requestBody"] = ["required": true, "content": [route.contentType: ["schema": body]]]
            }
            if !route.path.hasPrefix("/api/v1/auth/login") && route.path.hasPrefix("/api") {
                operation["security"] = [["bearer": [String]()]]
            }
            paths[route.path, default: [:]][route.method] = operation
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "Stitch API", "version": "1.0.0",
                     "description": "Production control for sewn-goods factories. JSON with snake_case keys; dates as YYYY-MM-DD."],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]]],
        ]
        return try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
    }()

    static let docsPage: String = {
        let rows = routes.map {
            "<tr><td><code>\($0.method.uppercased())</code></td><td><code>\($0.path)</code></td><td>\($0.summary)</td><td>\($0.roles)</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>Stitch API</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style>
            </head><body><h1>Stitch API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>.
            Errors: <code>{"error": {"code", "message", "details", "request_id"}}</code>.</p>
            <table><tr><th>Method</th><th>Path</th><th>What</th><th>Roles</th></tr>
            \(rows)
            </table></body></html>
            """
    }()
}
