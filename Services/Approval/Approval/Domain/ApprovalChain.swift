import Contracts
import Foundation

/// A configured level of a chain: a role and, optionally, when it applies.
struct ChainLevel: Sendable, Hashable {
    var role: String
    var condition: String?
}

/// Turns a kind's chain into a request's levels, keeping only the levels whose condition holds.
/// Conditions are `<fact> <op> <number>` with `>`, `>=`, `<`, `<=`, `=`, `!=` — enough for
/// "MANAGER when the change is more than 10%" without code changes.
enum ApprovalChain {
    static func levels(_ chain: [ChainLevel], facts: [String: Double]) -> [ApprovalLevel] {
        chain.filter { level in level.condition.map { holds($0, facts: facts) } ?? true }
            .enumerated().map { ApprovalLevel(level: $0.offset + 1, role: $0.element.role) }
    }

    static func holds(_ condition: String, facts: [String: Double]) -> Bool {
        let parts = condition.split(separator: " ").map(String.init)
        guard parts.count == 3, let value = facts[parts[0]], let limit = Double(parts[2]) else { return true }
        switch parts[1] {
        case ">": return value > limit
        case ">=": return value >= limit
        case "<": return value < limit
        case "<=": return value <= limit
        case "=", "==": return value == limit
        case "!=": return value != limit
        default: return true  // an unreadable condition keeps the level: stricter, never looser
        }
    }

    /// How far a quantity change moves the target, in percent of the original quantity.
    static func changePercent(_ change: QuantityChange) -> Double {
        guard change.originalQty > 0 else { return 100 }
        return Double(abs(change.newQty - change.oldQty)) * 100 / Double(change.originalQty)
    }
}
