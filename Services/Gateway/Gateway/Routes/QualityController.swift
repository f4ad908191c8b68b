import Contracts
import Foundation
import Hummingbird

/// Defect codes and the line's defects, final inspections (AQL) and NCRs, owned by the Quality service.
struct QualityController: Sendable {
    let services: ServiceCaller

    struct ResultBody: Decodable {
        var defects: [DefectCount]?
        var notes: String?
    }

    struct DecisionBody: Decodable {
        var decision: NCRDecision
        var reworkStage: Stage?
        var notes: String?
    }

    struct IncomingResultBody: Decodable {
        var result: IncomingVerdict
        var notes: String?
    }

    func register(on quality: RouterGroup<GatewayContext>) {
        quality.get("incoming-inspections", use: incoming)
        quality.post("incoming-inspections/:id/result", use: incomingResult)
        quality.get("defect-codes", use: codes)
        quality.post("defect-codes", use: saveCode)
        quality.get("defects/pareto", use: pareto)
        quality.post("inspections", use: openInspection)
        quality.get("inspections/:id", use: inspection)
        quality.post("inspections/:id/result", use: result)
        quality.get("ncrs", use: ncrs)
        quality.post("ncrs", use: openNCR)
        quality.get("ncrs/:code", use: ncr)
        quality.post("ncrs/:code/decide", use: decide)
    }

    func codes(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListDefectCodes(stage: try query.choice("stage", Stage.self), active: try query.bool("active"), page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func saveCode(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(QualityPermissions.editCodes)
        let command = try await request.decodeJSON(SaveDefectCode.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func pareto(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let pareto = GetDefectPareto(stage: try query.choice("stage", Stage.self), articleCode: query.values["article_code"],
                                     from: try query.date("from"), to: try query.date("to"))
        return try JSONResponses.data(try await services.send(pareto, actor, context))
    }

    func openInspection(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(QualityPermissions.inspect)
        let command = try await request.decodeJSON(OpenInspection.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func inspection(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetInspection(inspection: try context.parameters.require("id")), actor, context))
    }

    func result(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(QualityPermissions.inspect)
        let body = try await request.decodeJSON(ResultBody.self)
        let command = RecordInspectionResult(inspection: try context.parameters.require("id"), defects: body.defects ?? [], notes: body.notes)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func ncrs(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        return try JSONResponses.list(try await services.send(ListNCRs(status: try query.choice("status", NCRStatus.self), page: try query.page()),
                                                              actor, context))
    }

    func openNCR(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(QualityPermissions.openNCR)
        let command = try await request.decodeJSON(OpenNCR.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func ncr(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetNCR(ncr: try context.parameters.require("code")), actor, context))
    }

    func decide(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(QualityPermissions.decide)
        let body = try await request.decodeJSON(DecisionBody.self)
        let command = DecideNCR(ncr: try context.parameters.require("code"), decision: body.decision, reworkStage: body.reworkStage,
                                notes: body.notes)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func incoming(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListIncomingInspections(status: try query.choice("status", InspectionStatus.self), page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func incomingResult(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(QualityPermissions.inspect)
        let body = try await request.decodeJSON(IncomingResultBody.self)
        let command = RecordIncomingResult(inspection: try context.parameters.require("id"), result: body.result, notes: body.notes)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }
}
