import Foundation

/// Exact decimal arithmetic helpers: rounding money and quantities, scrap factors.
public enum DecimalMath {
    public static func rounded(_ value: Decimal, scale: Int, _ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }

    /// Money as stored and shown: 4 decimals.
    public static func money(_ value: Decimal) -> Decimal { rounded(value, scale: 4) }

    /// `1 + scrap/100`.
    public static func scrapFactor(_ scrapPercent: Decimal?) -> Decimal {
        1 + (scrapPercent ?? 0) / 100
    }
}
