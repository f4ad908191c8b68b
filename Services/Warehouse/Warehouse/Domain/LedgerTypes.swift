import Contracts
import Foundation

/// An item as the warehouse knows it from BOMFinance.
struct ItemCopy: Sendable, Equatable {
    var code: String
    var kind: ItemKind
    var unit: UnitOfMeasure
    var standardCost: Decimal?
}

/// A movement about to be appended.
struct NewMovement: Sendable {
    var type: MovementType
    var item: ItemCopy
    var qty: Decimal
    var from: String?
    var to: String?
    var reference: String?
    var reason: String?
    var reverses: UUID? = nil
}

extension Movement {
    /// `new` as the ledger keeps it: its place (`sequence`) and time.
    init(_ new: NewMovement, id: UUID, sequence: Int64, actor: Actor?, at: Date) {
        self.init(
            id: id, sequence: sequence, type: new.type, itemCode: new.item.code, itemKind: new.item.kind, unit: new.item.unit,
            qty: new.qty, fromLocation: new.from, toLocation: new.to, reference: new.reference, unitCost: new.item.standardCost,
            reason: new.reason, reverses: new.reverses, actor: actor?.username ?? "unknown", occurredAt: at)
    }
}
