import Contracts
import Foundation
import Hummingbird

/// Inventory (locations, movements, balances, issues, material debt) and finished goods (cartons,
/// shipments, customer returns), owned by the Warehouse service.
struct WarehouseController: Sendable {
    let services: ServiceCaller

    static let operators: [Role] = [.warehouseStaff, .warehouseManager, .admin]
    static let managers: [Role] = [.warehouseManager, .admin]
    static let packingLine: [Role] = [.productionStaff, .productionSupervisor, .productionManager, .manager, .admin]

    struct IssueBody: Decodable {
        var order: String?
        var spk: String?
        var department: Department?
        var lines: [IssueLine]?
    }

    struct ScanBody: Decodable {
        var cartonId: String?
        var barcode: String?
        var article: String?
        var qty: Int?
        var reason: String?
    }

    struct ShipmentBody: Decodable {
        var destination: String
        var method: String
        var cartons: [String]?
    }

    func register(inventory: RouterGroup<GatewayContext>, warehouse: RouterGroup<GatewayContext>) {
        inventory.get("locations", use: locations)
        inventory.post("locations", use: createLocation)
        inventory.get("balances", use: balances)
        inventory.get("movements", use: movements)
        inventory.post("movements", use: postMovement)
        inventory.post("issues", use: issue)
        inventory.post("returns", use: returnFromFloor)
        inventory.get("material-debts", use: debts)
        warehouse.post("cartons", use: registerCarton)
        warehouse.get("cartons/:id", use: carton)
        warehouse.post("finishgood/receive") { request, context in try await scan(.receive, request, context) }
        warehouse.post("finishgood/verify") { request, context in try await scan(.verify, request, context) }
        warehouse.post("finishgood/confirm") { request, context in try await scan(.confirm, request, context) }
        warehouse.post("finishgood/:id/shipment", use: ship)
        warehouse.get("delivery-notes/:code", use: deliveryNote)
        warehouse.post("returns", use: customerReturn)
    }

    func locations(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        return try JSONResponses.list(try await services.send(ListLocations(type: try query.choice("type", LocationType.self),
                                                                            page: try query.page()), actor, context))
    }

    func createLocation(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.managers)
        let command = try await request.decodeJSON(CreateLocation.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func balances(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListBalances(itemCode: query.values["item"], location: query.values["location"],
                                locationType: try query.choice("location_type", LocationType.self), page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func movements(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        let list = ListMovements(itemCode: query.values["item"], location: query.values["location"],
                                 type: try query.choice("type", MovementType.self), reference: query.values["reference"],
                                 from: try query.date("from"), to: try query.date("to"), page: try query.page())
        return try JSONResponses.list(try await services.send(list, actor, context))
    }

    func postMovement(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.operators)
        let command = try await request.decodeJSON(PostMovement.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func issue(_ request: Request, context: GatewayContext) async throws -> Response {
        try await issue(request, context: context, returning: false)
    }

    func returnFromFloor(_ request: Request, context: GatewayContext) async throws -> Response {
        try await issue(request, context: context, returning: true)
    }

    private func issue(_ request: Request, context: GatewayContext, returning: Bool) async throws -> Response {
        let actor = try context.require(Self.operators)
        let body = try await request.decodeJSON(IssueBody.self)
        let command = IssueMaterial(order: body.order, spk: body.spk, department: body.department, lines: body.lines, returnToStock: returning)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func debts(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = QueryParameters(request)
        return try JSONResponses.list(try await services.send(ListWarehouseDebts(status: try query.choice("status", DebtStatus.self),
                                                                                 page: try query.page()), actor, context))
    }

    func registerCarton(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.packingLine)
        let command = try await request.decodeJSON(RegisterCarton.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func carton(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetCarton(carton: try context.parameters.require("id")), actor, context))
    }

    func scan(_ step: CartonStep, _ request: Request, _ context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.operators)
        let body = try await request.decodeJSON(ScanBody.self)
        let command = ScanCarton(step: step, cartonId: body.cartonId, barcode: body.barcode, article: body.article, qty: body.qty,
                                 reason: body.reason)
        return try JSONResponses.data(try await services.send(command, actor, context))
    }

    func ship(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.operators)
        let body = try await request.decodeJSON(ShipmentBody.self)
        let first = try context.parameters.require("id")
        let cartons = [first] + (body.cartons ?? []).filter { $0 != first }
        let command = ShipCartons(cartons: cartons, destination: body.destination, method: body.method)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }

    func deliveryNote(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponses.data(try await services.send(GetDeliveryNote(code: try context.parameters.require("code")), actor, context))
    }

    func customerReturn(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.require(Self.operators)
        let command = try await request.decodeJSON(ReceiveCustomerReturn.self)
        return try JSONResponses.data(try await services.send(command, actor, context), status: .created)
    }
}
