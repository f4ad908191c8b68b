import Contracts
import Foundation
import Messaging
import ServiceKit

/// Locations, posted movements and their reversals, the journal and balances.
struct InventoryHandlers {
    let repositories: WarehouseRepositories
    let hold: ReceiptHold
    let debts: DebtHandlers

    func createLocation(_ command: CreateLocation, _ context: MessageContext) async throws -> Location {
        _ = try context.require(StockRules.managers, to: "Creating a location")
        var problems: [FieldError] = []
        let code = StockRules.normalizedCode(command.code)
        if code == nil { problems.append(.init(field: "code", message: "is required")) }
        let name = command.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { problems.append(.init(field: "name", message: "is required")) }
        if command.type == .floor, command.department == nil {
            problems.append(.init(field: "department", message: "is required for a FLOOR location"))
        }
        if command.type != .floor, command.department != nil {
            problems.append(.init(field: "department", message: "only FLOOR locations belong to a department"))
        }
        if !problems.isEmpty { throw ErrorReply.validation(problems) }
        let location = Location(id: UUID(), code: code!, name: name, type: command.type, department: command.department, createdAt: context.now)
        let store = repositories.ledger
        if try await store.location(location.code, in: context) != nil { throw ErrorReply.conflict("Location \(location.code) already exists.") }
        try await store.insert(location, in: context)
        try await context.audit("location", location.code, "create", before: String?.none, after: location)
        return location
    }

    func locations(_ query: ListLocations, _ context: MessageContext) async throws -> Page<Location> {
        try query.page.validate()
        return try await repositories.ledger.locations(type: query.type, page: query.page, in: context)
    }

    func postMovement(_ command: PostMovement, _ context: MessageContext) async throws -> [Movement] {
        if let original = command.reverses { return [try await reverse(original, reason: command.reason, context)] }
        let plan = try StockRules.plan(command, actor: context.actor)
        let store = repositories.ledger
        let item = try await Items(repositories.items, context).require(plan.itemCode, field: "item_code")
        if let problem = DecimalRules.checkQuantity(plan.qty, "qty", unit: item.unit, in: 0...DecimalRules.maxQuantity) {
            throw ErrorReply.validation([problem])
        }
        for (field, code) in [("from_location", plan.from), ("to_location", plan.to)] {
            if let code, try await store.location(code, in: context) == nil {
                throw ErrorReply.rule("There is no location \(code).", details: [.init(field: field, message: "unknown location \(code)")])
            }
        }
        // A material inspected on receipt lands in QUARANTINE and waits for Quality's incoming inspection.
        let holding = plan.type == .receipt ? try await hold.holdingLocation(for: item, to: plan.to, context) : nil
        let movement = NewMovement(
            type: plan.type, item: item, qty: plan.qty, from: plan.from, to: holding?.code ?? plan.to,
            reference: plan.reference, reason: holding == nil ? plan.reason : "held for incoming inspection (for \(plan.to ?? ""))")
        var posted = try await Ledger(store, context).post([movement])
        if let to = plan.to, holding != nil {
            try await hold.held(posted[0], releaseTo: to, context)
        } else if plan.type == .receipt, item.kind == .material {
            posted += try await debts.settle(receipt: posted[0], item: item, context)
        }
        try await context.audit("movement", posted[0].id.uuidString, plan.type.rawValue.lowercased(), before: String?.none, after: posted[0])
        return posted
    }

    /// The reversal of `id`: the same type and quantity the other way round, pointing at it. Once only.
    private func reverse(_ id: UUID, reason: String?, _ context: MessageContext) async throws -> Movement {
        _ = try context.require(StockRules.managers, to: "Reversing a movement")
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw ErrorReply.validation([.init(field: "reason", message: "is required for a reversal")])
        }
        let store = repositories.ledger
        guard let original = try await store.movement(id, in: context) else {
            throw ErrorReply.rule("There is no movement \(id).", details: [.init(field: "reverses", message: "unknown movement")])
        }
        guard original.reverses == nil, original.type != .debtSettlement else {
            throw ErrorReply.rule(
                "A reversal or a settlement record is not reversed.", details: [.init(field: "reverses", message: "cannot be reversed")])
        }
        guard let item = try await repositories.items.item(original.itemCode, in: context) else {
            throw ErrorReply.notFound("Item \(original.itemCode)")
        }
        let reversal = NewMovement(
            type: original.type, item: item, qty: original.qty, from: original.toLocation, to: original.fromLocation,
            reference: original.reference, reason: reason, reverses: original.id)
        let posted = try await Ledger(store, context).post([reversal])[0]
        if [.issue, .debtIssue, .returnFromFloor].contains(original.type) {
            // BOMFinance's order cost follows: a reversed issue is material back, a reversed return material out.
            let sign: Decimal = original.type == .returnFromFloor ? 1 : -1
            try await context.publish(
                MaterialIssued(
                    movementId: posted.id, orderCode: nil, spkCode: original.reference,
                    materialCode: item.code, unit: item.unit, qty: sign * original.qty,
                    unitCost: item.standardCost, occurredAt: posted.occurredAt))
        }
        try await context.audit("movement", posted.id.uuidString, "reverse \(original.id)", before: String?.none, after: posted)
        return posted
    }

    func balances(_ query: ListBalances, _ context: MessageContext) async throws -> Page<Balance> {
        try query.page.validate()
        return try await repositories.ledger.balances(query, in: context)
    }

    func movements(_ query: ListMovements, _ context: MessageContext) async throws -> Page<Movement> {
        try query.page.validate()
        return try await repositories.ledger.movements(query, in: context)
    }

    // MARK: Items from BOMFinance

    func keep(_ material: Material, _ context: MessageContext) async throws {
        try await repositories.items.keep(material, in: context)
    }

    func keep(_ article: Article, _ context: MessageContext) async throws {
        try await repositories.items.keep(article, in: context)
    }
}
