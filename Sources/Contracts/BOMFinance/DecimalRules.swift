import Foundation

/// Bounds for the exact decimals from outside (quantities in a unit, money), beside `InputRules`.
public enum DecimalRules {
    /// The most of a material one request may name, in any unit.
    public static let maxQuantity = Decimal(10_000_000)
    /// The most one unit of anything may cost.
    public static let maxCost = Decimal(1_000_000_000)
    /// Money carries at most this many decimals.
    public static let moneyScale = 4

    /// `value` has at most `scale` decimals.
    public static func fits(_ value: Decimal, scale: Int) -> Bool {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, scale, .plain)
        return rounded == value
    }

    /// A quantity in `unit`: within `range` (default 0…maxQuantity) and no finer than the unit allows.
    public static func checkQuantity(
        _ value: Decimal, _ field: String, unit: UnitOfMeasure,
        in range: ClosedRange<Decimal> = 0...maxQuantity
    ) -> FieldError? {
        BoundsRecorder.current?.record(
            field, NSDecimalNumber(decimal: range.lowerBound).doubleValue,
            NSDecimalNumber(decimal: range.upperBound).doubleValue, whole: unit.scale == 0, scale: unit.scale)
        if value.isNaN || !range.contains(value) {
            return FieldError(field: field, message: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        if !fits(value, scale: unit.scale) {
            return FieldError(
                field: field,
                message: unit.scale == 0
                    ? "must be a whole number of \(unit.rawValue)"
                    : "must have at most \(unit.scale) decimals for \(unit.rawValue)")
        }
        return nil
    }

    /// A cost per unit: 0…maxCost with at most `moneyScale` decimals.
    public static func checkMoney(_ value: Decimal, _ field: String) -> FieldError? {
        BoundsRecorder.current?.record(field, 0, NSDecimalNumber(decimal: maxCost).doubleValue, whole: false, scale: moneyScale)
        if value.isNaN || value < 0 || value > maxCost {
            return FieldError(field: field, message: "must be between 0 and \(maxCost)")
        }
        return fits(value, scale: moneyScale) ? nil : FieldError(field: field, message: "must have at most \(moneyScale) decimals")
    }
}
