import Contracts
import Foundation

/// Pure rules of a final inspection: the plan of a lot, which cartons to open, and the verdict.
public enum InspectionRules {
    /// The cartons to open so that at least `sampleSize` units come out, spread evenly over the lot
    /// (every k-th carton from the first), in the lot's order.
    public static func cartonsToOpen(_ quantities: [Int], sampleSize: Int) -> Set<Int> {
        guard !quantities.isEmpty else { return [] }
        let total = quantities.reduce(0, +)
        if sampleSize >= total { return Set(quantities.indices) }
        let average = max(1, total / quantities.count)
        let wanted = min(quantities.count, max(1, (sampleSize + average - 1) / average))
        var chosen: Set<Int> = []
        for step in 0..<wanted { chosen.insert(step * quantities.count / wanted) }
        // Uneven cartons may leave the sample short: add the next unopened ones until it is covered.
        var units = chosen.reduce(0) { $0 + quantities[$1] }
        var index = 0
        while units < sampleSize && index < quantities.count {
            if chosen.insert(index).inserted { units += quantities[index] }
            index += 1
        }
        return chosen
    }

    public struct Verdict: Equatable {
        public var status: InspectionStatus
        public var critical: Int
        public var major: Int
        public var minor: Int
        public var reasons: [String]
    }

    /// PASSED when no critical defect was found and major and minor defective units are within the
    /// accept numbers of their plans; FAILED otherwise, with why.
    public static func verdict(critical: Int, major: Int, minor: Int, majorPlan: SamplingPlan, minorPlan: SamplingPlan) -> Verdict {
        var reasons: [String] = []
        if critical > 0 { reasons.append("\(critical) critical (none accepted)") }
        if major >= majorPlan.reject { reasons.append("\(major) major, reject at \(majorPlan.reject) (AQL \(majorPlan.aql))") }
        if minor >= minorPlan.reject { reasons.append("\(minor) minor, reject at \(minorPlan.reject) (AQL \(minorPlan.aql))") }
        return Verdict(status: reasons.isEmpty ? .passed : .failed, critical: critical, major: major, minor: minor, reasons: reasons)
    }

    /// The defects of a result, each code once (upper-cased), each known; 422 naming the line otherwise.
    /// Returns the counts per severity.
    public static func tally(_ defects: [DefectCount], codes: [String: DefectCode], sampleSize: Int) throws(ErrorReply)
        -> (critical: Int, major: Int, minor: Int, lines: [DefectCount])
    {
        var problems: [FieldError] = []
        var seen: Set<String> = []
        var counts: [DefectSeverity: Int] = [:]
        var lines: [DefectCount] = []
        for (index, line) in defects.enumerated() {
            let code = line.code.trimmingCharacters(in: .whitespaces).uppercased()
            guard seen.insert(code).inserted else {
                problems.append(.init(field: "defects[\(index)].code", message: "\(code) is named twice"))
                continue
            }
            guard let known = codes[code] else {
                problems.append(.init(field: "defects[\(index)].code", message: "\(code) is not a defect code"))
                continue
            }
            counts[known.severity, default: 0] += line.qty
            lines.append(DefectCount(code: code, qty: line.qty))
        }
        let total = lines.reduce(0) { $0 + $1.qty }
        if problems.isEmpty && total > sampleSize {
            problems.append(.init(field: "defects", message: "name \(total) defective units, more than the sample of \(sampleSize)"))
        }
        if !problems.isEmpty { throw .rule("The result does not match the defect codes or the sample.", details: problems) }
        return (counts[.critical] ?? 0, counts[.major] ?? 0, counts[.minor] ?? 0, lines)
    }
}
