import Contracts
import Foundation
import Hummingbird

/// `/api/v1/master`, `/api/v1/bom`, `/api/v1/costing`: materials, articles, BOM versions and costs,
/// each route a command or query to BOMFinance with the user as actor.
struct BOMFinanceController: Sendable {
    let services: ServiceCaller

    func register(master: RouterGroup<GatewayContext>, bom: RouterGroup<GatewayContext>, costing: RouterGroup<GatewayContext>) {
        master.post("materials", use: createMaterial)
        master.get("materials", use: listMaterials)
        master.post("materials/import", use: importMaterials)
        master.post("articles/import", use: importArticles)
        master.get("materials/:code", use: getMaterial)
        master.put("materials/:code", use: updateMaterial)
        master.post("materials/:code/cost", use: setCost)
        master.post("articles", use: createArticle)
        master.get("articles", use: listArticles)
        master.get("articles/:code", use: getArticle)
        master.put("articles/:code", use: updateArticle)
        bom.post("create", use: createBOM)
        bom.get("list", use: listBOMs)
        bom.get("requirements", use: requirements)
        bom.get(":id", use: getBOM)
        bom.put(":id", use: updateBOM)
        bom.delete(":id") { request, context in try await change(.delete, request, context) }
        bom.post(":id/new-version") { request, context in try await change(.newVersion, request, context) }
        bom.post(":id/activate") { request, context in try await change(.activate, request, context) }
        costing.get("articles/:code", use: articleCosting)
        costing.get("orders/:code", use: orderCosting)
    }

    // MARK: Materials

    func createMaterial(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let command = try await request.decodeJSON(CreateMaterial.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func listMaterials(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListMaterials(category: try query.choice("category", MaterialCategory.self), search: query.values["search"],
                                 page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func getMaterial(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let detail = try await services.send(GetMaterialDetail(code: try code(context)), actor, context)
        return try JSONResponses.data(detail)
    }

    struct MaterialChange: Decodable {
        var name: String?
        var category: MaterialCategory?
        var unit: UnitOfMeasure?
        var active: Bool?
    }

    func updateMaterial(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let body = try await request.decodeJSON(MaterialChange.self)
        let command = UpdateMaterial(code: try code(context), name: body.name, category: body.category, unit: body.unit, active: body.active)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    struct CostBody: Decodable {
        var cost: Decimal
        var effectiveFrom: LocalDate
        var reason: String
    }

    func setCost(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.setCost)
        let body = try await request.decodeJSON(CostBody.self)
        let command = SetMaterialCost(code: try code(context), cost: body.cost, effectiveFrom: body.effectiveFrom, reason: body.reason)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func importMaterials(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let csv = try await Self.csvBody(request)
        return try JSONResponses.data(try await services.send(ImportMaterials(csv: csv), actor, context, timeout: services.timeout * 3))
    }

    func importArticles(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let csv = try await Self.csvBody(request)
        return try JSONResponses.data(try await services.send(ImportArticles(csv: csv), actor, context, timeout: services.timeout * 3))
    }

    /// A `text/csv` body: at most 2 MiB of UTF-8.
    static func csvBody(_ request: Request) async throws -> String {
        let limit = 2 * 1024 * 1024
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw ErrorReply(.malformed, "The CSV is larger than \(limit / 1024) KiB.")
        }
        guard buffer.readableBytes > 0 else { throw ErrorReply.validation([FieldError(field: "body", message: "send the CSV as text/csv")]) }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw ErrorReply.validation([FieldError(field: "body", message: "must be UTF-8 text")])
        }
        return text
    }

    // MARK: Articles

    func createArticle(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let command = try await request.decodeJSON(CreateArticle.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func listArticles(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        return try JSONResponses.list(try await services.send(ListArticles(search: query.values["search"], page: try query.page()), actor, context))
    }

    func getArticle(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetArticle(code: try code(context)), actor, context))
    }

    struct ArticleChange: Decodable {
        var name: String?
        var customer: String?
        var route: [Stage]?
        var labourMinutes: [StageMinutes]?
        var active: Bool?
    }

    func updateArticle(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let body = try await request.decodeJSON(ArticleChange.self)
        let command = UpdateArticle(code: try code(context), name: body.name, customer: body.customer, route: body.route,
                                    labourMinutes: body.labourMinutes, active: body.active)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    // MARK: BOMs

    func createBOM(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let command = try await request.decodeJSON(CreateBOM.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func listBOMs(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListBOMs(articleCode: query.values["article_code"], status: try query.choice("status", BOMStatus.self),
                            page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func getBOM(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = GetBOM(bom: try context.parameters.require("id"), explode: try QueryParameters(request).bool("explode") ?? false)
        return try JSONResponses.data(try await services.send(query, actor, context))
    }

    struct BOMChange: Decodable {
        var lines: [BOMLine]?
        var notes: String?
    }

    func updateBOM(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let body = try await request.decodeJSON(BOMChange.self)
        let command = UpdateBOM(bom: try context.parameters.require("id"), lines: body.lines, notes: body.notes)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func change(_ action: BOMAction, _ request: Request, _ context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.editMasterData)
        let bom = try await services.send(ChangeBOM(bom: try context.parameters.require("id"), action: action), actor, context)
        return try JSONResponses.data(bom, status: action == .newVersion ? .created : .ok)
    }

    func requirements(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let order = QueryParameters(request).values["order"], !order.isEmpty else {
            throw ErrorReply.validation([FieldError(field: "order", message: "is required (an order code, MO-…)")])
        }
        return try JSONResponses.data(try await services.send(GetOrderRequirements(orderCode: order), actor, context))
    }

    // MARK: Costing

    func articleCosting(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.readMoney)
        let query = GetArticleCosting(articleCode: try code(context), at: try QueryParameters(request).date("at"))
        return try JSONResponses.data(try await services.send(query, actor, context))
    }

    func orderCosting(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(BOMFinancePermissions.readMoney)
        return try JSONResponses.data(try await services.send(GetOrderCosting(orderCode: try code(context)), actor, context))
    }

    private func code(_ context: GatewayContext) throws -> String {
        let code = try context.parameters.require("code")
        if let problem = ItemCode.problem(code, "code") { throw ErrorReply.validation([problem]) }
        return ItemCode.normalized(code)
    }
}
