import Contracts
import Foundation

/// Effective dating of standard costs: the cost in force on a date is the one with the latest
/// `effective_from` on or before it (the later recorded one when two share a date).
public enum EffectiveCost {
    public static func at(_ date: LocalDate, in history: [CostEntry]) -> CostEntry? {
        history.filter { $0.effectiveFrom <= date }
            .max { ($0.effectiveFrom, $0.recordedAt) < ($1.effectiveFrom, $1.recordedAt) }
    }
}
