import Contracts
import Foundation
import Testing

@testable import BOMFinance

/// Explosion, cycles and where-used over a two-level bear: BEAR uses an embroidered PANEL and fabric.
struct BOMGraphTests {
    static let graph = BOMGraph(
        lines: [
            "BEAR": [
                BOMLine(materialCode: "FUR", qtyPerUnit: Decimal(string: "0.5")!, scrapPercent: 10),
                BOMLine(articleCode: "PANEL", qtyPerUnit: 2),
                BOMLine(materialCode: "EYE", qtyPerUnit: 2),
            ],
            "PANEL": [
                BOMLine(materialCode: "FUR", qtyPerUnit: Decimal(string: "0.1")!),
                BOMLine(materialCode: "THREAD", qtyPerUnit: Decimal(string: "0.01")!, scrapPercent: 5),
            ],
        ],
        units: ["FUR": .m, "EYE": .pcs, "THREAD": .cone])

    @Test("explosion sums every level per material with scrap applied at each level")
    func explodes() throws {
        let exploded = try Self.graph.explode("BEAR")
        #expect(exploded.map(\.materialCode) == ["EYE", "FUR", "THREAD"])
        let fur = exploded.first { $0.materialCode == "FUR" }!
        #expect(fur.qtyPerUnit == Decimal(string: "0.75")!)  // 0.5 × 1.1 + 2 × 0.1
        #expect(exploded.first { $0.materialCode == "THREAD" }!.qtyPerUnit == Decimal(string: "0.021")!)  // 2 × 0.01 × 1.05
        #expect(fur.unit == .m)
    }

    @Test("requirements multiply by the order quantity and round up to the unit's precision")
    func requirementsRoundUp() throws {
        let needs = BOMGraph.requirements(try Self.graph.explode("BEAR"), qty: 7)
        #expect(needs.first { $0.materialCode == "THREAD" }!.required == 1)  // 0.147 cones: a whole cone
        #expect(needs.first { $0.materialCode == "FUR" }!.required == Decimal(string: "5.25")!)
        #expect(needs.first { $0.materialCode == "EYE" }!.required == 14)
    }

    @Test("a cycle is found with its path, and explosion refuses it")
    func cycles() {
        let looped = Self.graph.with("PANEL", lines: [BOMLine(articleCode: "BEAR", qtyPerUnit: 1)])
        #expect(looped.cycle(from: "BEAR") == ["BEAR", "PANEL", "BEAR"])
        #expect(throws: BOMGraph.ExplosionError.cycle(["BEAR", "PANEL", "BEAR"])) { try looped.explode("BEAR") }
        #expect(Self.graph.cycle(from: "BEAR") == nil)
    }

    @Test("a sub-assembly without a BOM cannot be exploded")
    func missingSubAssembly() {
        let graph = BOMGraph(lines: ["BEAR": [BOMLine(articleCode: "PANEL", qtyPerUnit: 1)]], units: [:])
        #expect(throws: BOMGraph.ExplosionError.noBOM("PANEL")) { try graph.explode("BEAR") }
    }

    @Test("where-used climbs every level, and a material and an article of the same code are told apart")
    func whereUsed() {
        #expect(Self.graph.whereUsed(materials: ["THREAD"]) == ["PANEL", "BEAR"])
        #expect(Self.graph.whereUsed(materials: ["EYE"]) == ["BEAR"])
        #expect(Self.graph.whereUsed(materials: ["PANEL"]).isEmpty)
        #expect(Self.graph.whereUsed(materials: [], articles: ["PANEL"]) == ["BEAR"])
    }
}
