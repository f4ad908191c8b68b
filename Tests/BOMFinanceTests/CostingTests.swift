import Contracts
import Foundation
import Testing

@testable import BOMFinance

/// Roll-up, effective dating, reject valuation and variance.
struct CostingTests {
    static let rates = CostRates(perMinute: [.cutting: 100, .sewing: 200, .packing: 50], overheadPercent: 10)
    static let rollup = CostRollup(
        graph: BOMGraphTests.graph, materialCosts: ["FUR": 40_000, "EYE": 500, "THREAD": 20_000],
        labour: [
            "BEAR": [StageMinutes(stage: .sewing, minutes: 12), StageMinutes(stage: .packing, minutes: 2)],
            "PANEL": [StageMinutes(stage: .cutting, minutes: Decimal(string: "1.5")!)],
        ],
        rates: rates)

    @Test("roll-up: materials at every level, sub-assembly labour included, overhead on top")
    func rollsUp() {
        let costs = Self.rollup.roll(["BEAR"])
        // PANEL: 0.1 × 40000 + 0.0105 × 20000 = 4210 material; 1.5 × 100 = 150 labour.
        #expect(costs["PANEL"] == RolledCost(material: 4210, labour: 150))
        // BEAR: 0.55 × 40000 + 2 × 500 + 2 × 4210 = 31420 material; 12 × 200 + 2 × 50 + 2 × 150 = 2800 labour.
        #expect(costs["BEAR"] == RolledCost(material: 31420, labour: 2800))
        #expect(costs["BEAR"]!.total(Self.rates) == Decimal(string: "37642")!)  // 34220 × 1.1
    }

    @Test("breakdown lists each material of every level and each stage's minutes per unit")
    func breakdown() {
        let costing = Self.rollup.breakdown("BEAR", at: LocalDate("2026-03-01")!, bom: nil)
        #expect(costing.materials.map(\.materialCode) == ["EYE", "FUR", "THREAD"])
        #expect(costing.materials.first { $0.materialCode == "FUR" }?.cost == 30_000)
        #expect(costing.stages.map(\.stage) == [.cutting, .sewing, .packing])
        #expect(costing.stages.first?.minutes == 3)  // 2 panels × 1.5 min
        #expect(costing.materialCost + costing.labourCost + costing.overheadCost == costing.total)
        #expect(costing.missingCosts.isEmpty)
    }

    @Test("a material with no cost counts 0 and is named")
    func missingCost() {
        var rollup = Self.rollup
        rollup.materialCosts["EYE"] = nil
        #expect(rollup.breakdown("BEAR", at: LocalDate("2026-03-01")!, bom: nil).missingCosts == ["EYE"])
    }

    @Test("sub-assemblies not being re-costed enter at their stored cost")
    func knownSubAssembly() {
        let graph = BOMGraph(lines: ["BEAR": BOMGraphTests.graph.lines["BEAR"]!], units: [:])
        let rollup = CostRollup(
            graph: graph, materialCosts: ["FUR": 40_000, "EYE": 500], labour: [:], rates: Self.rates,
            known: ["PANEL": RolledCost(material: 1000, labour: 10)])
        #expect(rollup.roll(["BEAR"])["BEAR"] == RolledCost(material: 22_000 + 1000 + 2000, labour: 20))
    }

    @Test("effective dating: the latest cost on or before the date; nothing before the first")
    func effectiveDating() {
        let at = Date(timeIntervalSince1970: 0)
        let history = [
            CostEntry(cost: 10, effectiveFrom: LocalDate("2026-01-01")!, reason: nil, recordedBy: nil, recordedAt: at),
            CostEntry(cost: 12, effectiveFrom: LocalDate("2026-03-01")!, reason: nil, recordedBy: nil, recordedAt: at),
            CostEntry(cost: 15, effectiveFrom: LocalDate("2026-06-01")!, reason: nil, recordedBy: nil, recordedAt: at),
        ]
        #expect(EffectiveCost.at(LocalDate("2025-12-31")!, in: history) == nil)
        #expect(EffectiveCost.at(LocalDate("2026-02-28")!, in: history)?.cost == 10)
        #expect(EffectiveCost.at(LocalDate("2026-03-01")!, in: history)?.cost == 12)
        #expect(EffectiveCost.at(LocalDate("2030-01-01")!, in: history)?.cost == 15)
    }

    @Test("a reject is worth all its material plus labour of the route up to and including its stage")
    func rejectValue() {
        let labour: [Stage: Decimal] = [.cutting: 300, .sewing: 2400, .packing: 100]
        let route: [Stage] = [.cutting, .sewing, .packing]
        #expect(OrderCostRules.rejectUnitValue(materialPerUnit: 31420, labourPerUnit: labour, route: route, stage: .cutting) == 31720)
        #expect(OrderCostRules.rejectUnitValue(materialPerUnit: 31420, labourPerUnit: labour, route: route, stage: .sewing) == 34120)
        #expect(OrderCostRules.rejectUnitValue(materialPerUnit: 31420, labourPerUnit: labour, route: route, stage: .packing) == 34220)
    }

    @Test("variance: actual minus planned by material and by stage, rejects valued")
    func variance() {
        let needs = [MaterialRequirement(materialCode: "FUR", unit: .m, qtyPerUnit: Decimal(string: "0.75")!, required: 75)]
        let costing = OrderCostRules.variance(
            orderCode: "MO-1", articleCode: "BEAR", qty: 100, bom: nil, note: nil, requirements: needs, materialCosts: ["FUR": 40_000],
            labourPerUnit: [.sewing: 2400],
            issued: ["FUR": .init(qty: 80, cost: 3_200_000), "EYE": .init(qty: 10, cost: 5000)],
            work: [.sewing: .init(good: 90, rejected: 5, rejectValue: 170_600)])
        #expect(costing.planned.material == 3_000_000 && costing.planned.labour == 240_000)
        #expect(costing.actual.material == 3_205_000 && costing.actual.labour == 228_000)
        #expect(costing.byMaterial.map(\.materialCode) == ["EYE", "FUR"])
        #expect(costing.byMaterial.last?.variance == 200_000)
        #expect(costing.byStage.first?.variance == -12_000 && costing.byStage.first?.rejectQty == 5)
        #expect(costing.rejectCost == 170_600)
        #expect(costing.variance == costing.actual.total - costing.planned.total)
    }
}
