import Contracts
import Foundation
import Hummingbird
import Messaging

/// `/api/v1/production`: each route becomes a command or query to Production with the user as actor.
struct ProductionController: Sendable {
    let services: ServiceCaller
    let operators: OperatorLookup

    struct MobileBatchBody: Decodable, ItemwiseValidated {
        struct Item: Decodable {
            var spkId: String
            var entry: DailyInputEntry
            enum CodingKeys: String, CodingKey { case spkId }
            init(from decoder: any Decoder) throws {
                spkId = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .spkId)
                entry = try DailyInputEntry(from: decoder)
            }
        }
        var entries: [Item]
    }

    func register(on group: RouterGroup<GatewayContext>) {
        group.post("spks", use: create)
        group.get("spks", use: list)
        group.get("spks/:id", use: get)
        group.post("spk/:id/daily-input", use: recordInput)
        group.get("spk/:id/progress", use: progress)
        group.get("my-spks", use: mine)
        group.post("mobile/daily-input", use: mobileBatch)
        for action in SPKAction.allCases {
            group.post("spk/:id/\(action.rawValue.lowercased())") { request, context in
                try await changeStatus(action, request, context)
            }
        }
        group.post("daily-input/:entry_id/void", use: voidEntry)
        group.post("orders", use: createOrder)
        group.get("orders", use: listOrders)
        group.get("orders/:id", use: getOrder)
        group.get("current-shift", use: currentShift)
        group.get("mobile/sync", use: mobileSync)
    }

    func createOrder(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(ProductionPermissions.createSPK)
        let command = try await request.decodeJSON(CreateOrder.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func listOrders(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListOrders(status: try query.choice("status", OrderStatus.self), articleCode: query.values["article_code"],
                              page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func getOrder(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetOrder(order: try context.parameters.require("id")), actor, context))
    }

    func currentShift(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetCurrentShift(), actor, context))
    }

    func mobileSync(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(MobileSync(since: QueryParameters(request).values["since"]), actor, context))
    }

    struct ReasonBody: Decodable { var reason: String }

    func changeStatus(_ action: SPKAction, _ request: Request, _ context: GatewayContext) async throws -> Response {
        let actor = try context.require(action == .hold || action == .resume ? ProductionPermissions.holdOrResume : ProductionPermissions.cancelOrClose)
        let body = try await request.decodeJSON(ReasonBody.self)
        let command = ChangeSPKStatus(spk: try context.parameters.require("id"), action: action, reason: body.reason)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func voidEntry(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(ProductionPermissions.voidEntry)
        let body = try await request.decodeJSON(ReasonBody.self)
        let command = VoidDailyInput(entryId: try context.parameters.require("entry_id"), reason: body.reason)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func create(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(ProductionPermissions.createSPK)
        let command = try await request.decodeJSON(CreateSPK.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func list(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListSPKs(status: try query.choice("status", SPKStatus.self), stage: try query.choice("stage", Stage.self),
                            department: try query.choice("department", Department.self), dueBefore: try query.date("due_before"),
                            dueAfter: try query.date("due_after"), order: query.values["order"], page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func get(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetSPK(spk: try context.parameters.require("id")), actor, context))
    }

    func recordInput(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(ProductionPermissions.record)
        let entry = try await request.decodeJSON(DailyInputEntry.self)
        let command = RecordDailyInput(spk: try context.parameters.require("id"), entry: entry,
                                       operator: try await operators.resolve(entry.operatorId))
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func progress(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetSPKProgress(spk: try context.parameters.require("id")), actor, context))
    }

    func mine(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(ListMySPKs(), actor, context))
    }

    func mobileBatch(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(ProductionPermissions.record)
        let body = try await request.decodeJSON(MobileBatchBody.self)
        guard !body.entries.isEmpty, body.entries.count <= RecordMobileBatch.maxEntries else {
            throw ErrorReply.validation([FieldError(field: "entries", message: "must hold 1 to \(RecordMobileBatch.maxEntries) entries")])
        }
        // A backlog names the same few operators many times: look each up once.
        var found: [String: OperatorRef] = [:]
        for name in Set(body.entries.compactMap(\.entry.operatorId)) { found[name] = try await operators.resolve(name) }
        let command = RecordMobileBatch(entries: body.entries.map {
            MobileEntry(spkId: $0.spkId, entry: $0.entry, operator: $0.entry.operatorId.flatMap { found[$0] })
        })
        return try JSONResponses.data(try await services.send(command, actor, context, timeout: services.timeout * 3))
    }
}
