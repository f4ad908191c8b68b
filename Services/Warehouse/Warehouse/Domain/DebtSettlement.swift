import Foundation

/// Paying material debt back from a receipt: open debts of the material, oldest first, each in
/// full or — when the receipt runs out — in part. Pure.
enum DebtSettlement {
    struct OpenDebt: Equatable {
        var id: UUID
        var openQty: Decimal
    }

    struct Settlement: Equatable {
        var debtId: UUID
        var settled: Decimal
        /// What the debt still owes after this receipt.
        var remaining: Decimal
        var isFull: Bool { remaining == 0 }
    }

    /// `debts` oldest first; returns one settlement per debt the receipt reaches.
    static func settle(receipt: Decimal, debts: [OpenDebt]) -> [Settlement] {
        var left = receipt
        var settlements: [Settlement] = []
        for debt in debts where left > 0 && debt.openQty > 0 {
            let paid = min(left, debt.openQty)
            left -= paid
            settlements.append(Settlement(debtId: debt.id, settled: paid, remaining: debt.openQty - paid))
        }
        return settlements
    }
}
