import Contracts
import Foundation

/// The rules of the ledger, without I/O: what a posted movement needs, and whether stock allows it.
enum StockRules {
    static let operators: [Role] = [.warehouseStaff, .warehouseManager, .admin]
    static let managers: [Role] = [.warehouseManager, .admin]
    /// Types a person may post directly (the others come from issues, debts, cartons, returns).
    static let postable: [MovementType] = [.receipt, .transfer, .adjustment, .scrap]

    /// A movement to post, checked for its shape (which locations, reason, roles).
    struct Plan: Equatable {
        var type: MovementType
        var itemCode: String
        var qty: Decimal
        var from: String?
        var to: String?
        var reference: String?
        var reason: String?
    }

    static func plan(_ command: PostMovement, actor: Actor?) throws(ErrorReply) -> Plan {
        guard let actor, actor.hasAny(operators) else { throw .forbidden("Posting movements needs WAREHOUSE_STAFF or WAREHOUSE_MANAGER.") }
        var problems: [FieldError] = []
        let type = command.type
        if type == nil { problems.append(.init(field: "type", message: "is required")) }
        if let type, !postable.contains(type) {
            problems.append(
                .init(
                    field: "type",
                    message: "must be one of \(postable.map(\.rawValue).joined(separator: ", ")); issues, debts and cartons have their own routes"))
        }
        let item = normalizedCode(command.itemCode)
        if item == nil { problems.append(.init(field: "item_code", message: "is required")) }
        if command.qty == nil { problems.append(.init(field: "qty", message: "is required")) }
        let from = normalizedCode(command.fromLocation)
        let to = normalizedCode(command.toLocation)
        let reason = command.reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        switch type {
        case .receipt?:
            if to == nil { problems.append(.init(field: "to_location", message: "is required for a RECEIPT")) }
            if from != nil { problems.append(.init(field: "from_location", message: "must be empty for a RECEIPT")) }
        case .transfer?:
            if from == nil { problems.append(.init(field: "from_location", message: "is required for a TRANSFER")) }
            if to == nil { problems.append(.init(field: "to_location", message: "is required for a TRANSFER")) }
            if from != nil, from == to { problems.append(.init(field: "to_location", message: "must differ from from_location")) }
        case .adjustment?:
            if (from == nil) == (to == nil) {
                problems.append(
                    .init(field: "from_location", message: "an ADJUSTMENT names exactly one of from_location (less) or to_location (more)"))
            }
            if reason == nil { problems.append(.init(field: "reason", message: "is required for an ADJUSTMENT")) }
        case .scrap?:
            if from == nil { problems.append(.init(field: "from_location", message: "is required for SCRAP")) }
            if to != nil { problems.append(.init(field: "to_location", message: "must be empty for SCRAP")) }
            if reason == nil { problems.append(.init(field: "reason", message: "is required for SCRAP")) }
        default: break
        }
        if !problems.isEmpty { throw .validation(problems) }
        if type == .adjustment, !actor.hasAny(managers) { throw .forbidden("An ADJUSTMENT needs WAREHOUSE_MANAGER.") }
        return Plan(
            type: type!, itemCode: item!, qty: command.qty!, from: from, to: to,
            reference: command.reference?.trimmingCharacters(in: .whitespaces).nilIfEmpty, reason: reason)
    }

    /// Whether `qty` may leave a location holding `balance`. `debtAllowance` is how far below zero
    /// approved material debt lets it go. Returns the balance after.
    static func take(
        _ qty: Decimal, from balance: Decimal, debtAllowance: Decimal = 0, item: String, location: String,
        field: String = "qty"
    ) throws(ErrorReply) -> Decimal {
        let after = balance - qty
        if after >= -debtAllowance { return after }
        let available = max(balance, 0)
        throw .rule(
            "Not enough \(item) at \(location): \(available) available, \(qty) asked.",
            details: [.init(field: field, message: "only \(available) available at \(location)")])
    }

    /// Per material, how much a set of issue lines lacks given what is available (empty: all fit).
    static func shortfalls(_ wanted: [(material: String, qty: Decimal)], available: [String: Decimal]) -> [FieldError] {
        var needed: [String: Decimal] = [:]
        var order: [String] = []
        for line in wanted {
            if needed[line.material] == nil { order.append(line.material) }
            needed[line.material, default: 0] += line.qty
        }
        return order.compactMap { material in
            let have = max(available[material] ?? 0, 0)
            let want = needed[material]!
            guard want > have else { return nil }
            return FieldError(field: material, message: "short by \(want - have) (available \(have), needed \(want))")
        }
    }

    /// What an order still needs: required minus what was already issued (net of returns), never below zero.
    static func stillNeeded(_ requirements: [MaterialRequirement], issued: [String: Decimal]) -> [IssueLine] {
        requirements.compactMap { line in
            let left = line.required - (issued[line.materialCode] ?? 0)
            return left > 0 ? IssueLine(materialCode: line.materialCode, qty: left) : nil
        }
    }

    /// A quantity from an approval (a Double on the wire) as an exact decimal in `unit`, rounded up to
    /// what the unit can hold.
    static func exact(_ value: Double, unit: UnitOfMeasure) -> Decimal {
        var decimal = Decimal(string: String(value)) ?? Decimal(value)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &decimal, unit.scale, .up)
        return rounded
    }

    static func normalizedCode(_ text: String?) -> String? {
        text?.trimmingCharacters(in: .whitespaces).uppercased().nilIfEmpty
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
