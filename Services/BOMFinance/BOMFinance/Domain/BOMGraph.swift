import Contracts
import Foundation

/// The multi-level structure of BOMs as plain data: per article, the lines of the BOM version in
/// force (or a draft being checked). Explosion and cycle detection work on it without I/O.
public struct BOMGraph: Sendable {
    /// Article code → the lines of its BOM in force.
    public var lines: [String: [BOMLine]]
    /// Material code → unit.
    public var units: [String: UnitOfMeasure]

    public init(lines: [String: [BOMLine]], units: [String: UnitOfMeasure]) {
        self.lines = lines
        self.units = units
    }

    /// The graph with `article`'s lines replaced (a draft being checked or activated).
    public func with(_ article: String, lines newLines: [BOMLine]) -> BOMGraph {
        var copy = self
        copy.lines[article] = newLines
        return copy
    }

    /// The first cycle reachable from `article`, as a path that starts and ends with the same code
    /// (`["A", "B", "A"]`); nil when there is none.
    public func cycle(from article: String) -> [String]? {
        var path: [String] = []
        var onPath: Set<String> = []
        var done: Set<String> = []
        func visit(_ code: String) -> [String]? {
            if onPath.contains(code) {
                let start = path.firstIndex(of: code)!
                return Array(path[start...]) + [code]
            }
            if done.contains(code) { return nil }
            path.append(code)
            onPath.insert(code)
            for line in lines[code] ?? [] {
                if let child = line.articleCode, let found = visit(child) { return found }
            }
            path.removeLast()
            onPath.remove(code)
            done.insert(code)
            return nil
        }
        return visit(article)
    }

    public enum ExplosionError: Error, Equatable {
        case cycle([String])
        /// A sub-assembly has no BOM in force.
        case noBOM(String)
        case unknownMaterial(String)
    }

    /// Every material `article` needs per unit, over every level, scrap applied at each level,
    /// sorted by material code.
    public func explode(_ article: String) throws(ExplosionError) -> [ExplodedMaterial] {
        if let cycle = cycle(from: article) { throw .cycle(cycle) }
        var totals: [String: Decimal] = [:]
        var memo: [String: [String: Decimal]] = [:]
        func perUnit(_ code: String) throws(ExplosionError) -> [String: Decimal] {
            if let known = memo[code] { return known }
            guard let bom = lines[code] else { throw .noBOM(code) }
            var result: [String: Decimal] = [:]
            for line in bom {
                let factor = line.qtyPerUnit * DecimalMath.scrapFactor(line.scrapPercent)
                if let material = line.materialCode {
                    result[material, default: 0] += factor
                } else if let child = line.articleCode {
                    for (material, qty) in try perUnit(child) { result[material, default: 0] += factor * qty }
                }
            }
            memo[code] = result
            return result
        }
        totals = try perUnit(article)
        var exploded: [ExplodedMaterial] = []
        for (code, qty) in totals.sorted(by: { $0.key < $1.key }) {
            guard let unit = units[code] else { throw .unknownMaterial(code) }
            exploded.append(ExplodedMaterial(materialCode: code, unit: unit, qtyPerUnit: qty))
        }
        return exploded
    }

    /// What an order of `qty` units needs: per unit × qty, rounded up to the unit's precision.
    public static func requirements(_ exploded: [ExplodedMaterial], qty: Int) -> [MaterialRequirement] {
        exploded.map {
            MaterialRequirement(
                materialCode: $0.materialCode, unit: $0.unit, qtyPerUnit: $0.qtyPerUnit,
                required: DecimalMath.rounded($0.qtyPerUnit * Decimal(qty), scale: $0.unit.scale, .up))
        }
    }

    /// Articles that use any of `materials` or `articles`, directly or through sub-assemblies
    /// (not including the starting articles themselves), per `lines`.
    public func whereUsed(materials: Set<String>, articles: Set<String> = []) -> Set<String> {
        var parents: [String: [String]] = [:]
        for (parent, bom) in lines {
            for line in bom {
                let key = line.materialCode.map { "M:\($0)" } ?? "A:\(line.articleCode ?? "")"
                parents[key, default: []].append(parent)
            }
        }
        var found: Set<String> = []
        var queue = materials.map { "M:\($0)" } + articles.map { "A:\($0)" }
        while let key = queue.popLast() {
            for parent in parents[key] ?? [] where found.insert(parent).inserted { queue.append("A:\(parent)") }
        }
        return found
    }
}
