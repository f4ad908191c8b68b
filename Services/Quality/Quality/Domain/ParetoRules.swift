import Contracts

/// Defects ranked biggest first, with each code's share of all defects and the running share.
enum ParetoRules {
    struct Count {
        var code: String
        var name: String
        var stage: Stage
        var severity: DefectSeverity
        var qty: Int
    }

    static func rank(_ counts: [Count], output: Int) -> DefectPareto {
        let sorted = counts.sorted { $0.qty != $1.qty ? $0.qty > $1.qty : $0.code < $1.code }
        let total = sorted.reduce(0) { $0 + $1.qty }
        var running = 0
        let lines = sorted.map { count -> ParetoLine in
            running += count.qty
            return ParetoLine(
                code: count.code, name: count.name, stage: count.stage, severity: count.severity, qty: count.qty,
                sharePercent: percent(count.qty, of: total), cumulativePercent: percent(running, of: total))
        }
        return DefectPareto(totalDefects: total, totalOutput: output, lines: lines)
    }

    static func percent(_ part: Int, of whole: Int) -> Double {
        guard whole > 0 else { return 0 }
        return (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}
