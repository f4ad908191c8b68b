import Contracts
import Foundation
import Messaging
import ServiceKit

/// Material to the line (ISSUE), back from it (RETURN_FROM_FLOOR), and what an order still needs.
struct IssueHandlers {
    let repositories: WarehouseRepositories

    static let debtHint =
        "Short material can still be issued through a material-debt request (POST /api/v1/production/material-debt/request), approved by the production and warehouse managers."

    /// Which SPK/order an issue is for, and the floor it goes to.
    struct Target {
        var spkCode: String?
        var orderCode: String?
        var department: Department
        var reference: String { spkCode ?? orderCode ?? "" }
    }

    func issue(_ command: IssueMaterial, _ context: MessageContext) async throws -> [Movement] {
        _ = try context.require(StockRules.operators, to: "Issuing material")
        let target = try await resolve(command, context)
        let store = repositories.ledger
        guard let floor = try await store.first(.floor, department: target.department, in: context) else {
            throw ErrorReply.rule(
                "There is no FLOOR location for \(target.department.rawValue).",
                details: [.init(field: "department", message: "has no FLOOR location")])
        }
        var lines = command.lines ?? []
        if lines.isEmpty {
            guard !command.returnToStock, let order = target.orderCode else {
                throw ErrorReply.validation([.init(field: "lines", message: "are required unless the issue is for an order")])
            }
            let requirements = try await outageIs503 { try await context.askAsService(GetOrderRequirements(orderCode: order)) }
            lines = StockRules.stillNeeded(requirements.lines, issued: try await store.issuedNet(reference: order, in: context))
            if lines.isEmpty { throw ErrorReply.rule("\(order) needs no more material: everything its BOM asks for was issued.") }
        }
        var moves: [NewMovement] = []
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index)]"
            let item = try await Items(repositories.items, context).require(line.materialCode, kind: .material, field: "\(field).material_code")
            if let problem = DecimalRules.checkQuantity(line.qty, "\(field).qty", unit: item.unit, in: 0...DecimalRules.maxQuantity) {
                throw ErrorReply.validation([problem])
            }
            let raw: Location?
            if command.returnToStock {
                raw = try await store.first(.rawMaterial, in: context)
            } else {
                raw = try await store.richestRawLocation(for: item.code, in: context)
            }
            guard let raw else { throw ErrorReply.rule("There is no RAW_MATERIAL location.") }
            moves.append(
                command.returnToStock
                    ? NewMovement(
                        type: .returnFromFloor, item: item, qty: line.qty, from: floor.code, to: raw.code, reference: target.reference, reason: nil)
                    : NewMovement(type: .issue, item: item, qty: line.qty, from: raw.code, to: floor.code, reference: target.reference, reason: nil))
        }
        let ledger = Ledger(store, context)
        // Every line is checked before anything moves: the answer names each material that is short.
        // Both sides are locked now, in the ledger's one order, so an issue and a return never wait crosswise.
        let balances = try await ledger.lock(
            moves.flatMap {
                [
                    Ledger.Key(item: $0.item.code, location: $0.from!),
                    Ledger.Key(item: $0.item.code, location: $0.to!),
                ]
            })
        let available = Dictionary(
            moves.map { ($0.item.code, balances[Ledger.Key(item: $0.item.code, location: $0.from!)] ?? 0) },
            uniquingKeysWith: { first, _ in first })
        let short = StockRules.shortfalls(moves.map { ($0.item.code, $0.qty) }, available: available)
        if !short.isEmpty {
            let what = command.returnToStock ? "The floor holds less than is returned." : "Not enough stock to issue. \(Self.debtHint)"
            throw ErrorReply.rule(what, details: short)
        }
        let posted = try await ledger.post(moves)
        for movement in posted {
            try await context.publish(
                MaterialIssued(
                    movementId: movement.id, orderCode: target.orderCode, spkCode: target.spkCode, materialCode: movement.itemCode,
                    unit: movement.unit, qty: command.returnToStock ? -movement.qty : movement.qty, unitCost: movement.unitCost,
                    occurredAt: movement.occurredAt))
        }
        try await context.audit("issue", target.reference, command.returnToStock ? "return from floor" : "issue", before: String?.none, after: posted)
        return posted
    }

    private func resolve(_ command: IssueMaterial, _ context: MessageContext) async throws -> Target {
        let spk = command.spk?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let order = command.order?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        guard (spk == nil) != (order == nil) else {
            throw ErrorReply.validation([.init(field: "order", message: "name exactly one of order or spk")])
        }
        if let spk {
            let found = try await Self.production(GetSPK(spk: spk), field: "spk", context)
            return Target(spkCode: found.code, orderCode: found.orderCode, department: command.department ?? found.department)
        }
        let found = try await Self.production(GetOrder(order: order!), field: "order", context)
        // Material goes to the first stage of the order's route unless the caller names a department.
        let first = found.stages.first.flatMap { Department(rawValue: $0.rawValue) }
        guard let department = command.department ?? first else {
            throw ErrorReply.validation([.init(field: "department", message: "is required: the order has no stages")])
        }
        return Target(spkCode: nil, orderCode: found.code, department: department)
    }

    static func production<Q: Query>(_ query: Q, field: String, _ context: MessageContext) async throws -> Q.Reply {
        do {
            return try await outageIs503 { try await context.askAsService(query) }
        } catch let error as ErrorReply where error.code == .notFound {
            throw ErrorReply.rule(error.message, details: [.init(field: field, message: "not found")])
        }
    }
}

/// A dependency that does not answer is a 503 to the caller (try again), never a 504 or a 500.
func outageIs503<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ErrorReply where error.code == .timeout || error.code == .unavailable {
        throw ErrorReply(.unavailable, error.message)
    }
}
