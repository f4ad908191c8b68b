import Contracts
import Foundation

/// Valuing rejects and comparing an order's plan with what it really used. Pure.
public enum OrderCostRules {
    /// What one rejected unit at `stage` is worth: all its material (cut at the first stage) plus
    /// the labour of every stage of the route up to and including `stage`.
    public static func rejectUnitValue(
        materialPerUnit: Decimal, labourPerUnit: [Stage: Decimal], route: [Stage],
        stage: Stage
    ) -> Decimal {
        let order = Stage.allCases
        let upTo = order.firstIndex(of: stage)!
        let stages = (route.isEmpty ? order : route).filter { order.firstIndex(of: $0)! <= upTo }
        return DecimalMath.money(materialPerUnit + stages.reduce(Decimal(0)) { $0 + (labourPerUnit[$1] ?? 0) })
    }

    /// Work reported at one stage of an order.
    public struct StageWork: Sendable, Hashable {
        public var good: Int
        public var rejected: Int
        public var rejectValue: Decimal
        public init(good: Int, rejected: Int, rejectValue: Decimal) {
            self.good = good
            self.rejected = rejected
            self.rejectValue = rejectValue
        }
    }

    /// Material issued to an order, net of returns.
    public struct Issued: Sendable, Hashable {
        public var qty: Decimal
        public var cost: Decimal
        public init(qty: Decimal, cost: Decimal) {
            self.qty = qty
            self.cost = cost
        }
    }

    /// Planned (standard × qty) against actual (material issued + labour of the units worked), by
    /// material and by stage.
    public static func variance(
        orderCode: String, articleCode: String, qty: Int, bom: BOMReference?, note: String?,
        requirements: [MaterialRequirement], materialCosts: [String: Decimal],
        labourPerUnit: [Stage: Decimal], issued: [String: Issued], work: [Stage: StageWork]
    )
        -> OrderCosting
    {
        var byMaterial: [OrderCosting.MaterialVariance] = []
        let codes = Set(requirements.map(\.materialCode)).union(issued.keys).sorted()
        for code in codes {
            let planned = requirements.first { $0.materialCode == code }
            let plannedQty = planned.map { $0.qtyPerUnit * Decimal(qty) } ?? 0
            let actual = issued[code] ?? Issued(qty: 0, cost: 0)
            byMaterial.append(
                .init(
                    materialCode: code, plannedQty: plannedQty,
                    plannedCost: DecimalMath.money(plannedQty * (materialCosts[code] ?? 0)),
                    actualQty: actual.qty, actualCost: DecimalMath.money(actual.cost)))
        }
        var byStage: [OrderCosting.StageVariance] = []
        for stage in Stage.allCases where labourPerUnit[stage] != nil || work[stage] != nil {
            let rate = labourPerUnit[stage] ?? 0
            let done = work[stage] ?? StageWork(good: 0, rejected: 0, rejectValue: 0)
            let worked = done.good + done.rejected
            byStage.append(
                .init(
                    stage: stage, plannedQty: labourPerUnit[stage] == nil ? 0 : qty,
                    plannedCost: DecimalMath.money(Decimal(labourPerUnit[stage] == nil ? 0 : qty) * rate),
                    actualQty: worked, actualCost: DecimalMath.money(Decimal(worked) * rate),
                    rejectQty: done.rejected, rejectCost: DecimalMath.money(done.rejectValue)))
        }
        let planned = OrderCosting.Amounts(
            material: byMaterial.reduce(0) { $0 + $1.plannedCost },
            labour: byStage.reduce(0) { $0 + $1.plannedCost })
        let actual = OrderCosting.Amounts(
            material: byMaterial.reduce(0) { $0 + $1.actualCost },
            labour: byStage.reduce(0) { $0 + $1.actualCost })
        return OrderCosting(
            orderCode: orderCode, articleCode: articleCode, qty: qty, bom: bom, note: note, planned: planned,
            actual: actual, rejectCost: byStage.reduce(0) { $0 + $1.rejectCost }, byMaterial: byMaterial,
            byStage: byStage)
    }
}
