import Contracts
import Foundation

/// Reading an articles CSV: header `code,name[,customer][,route][,labour_minutes]` (any order,
/// case-insensitive). `route` lists stages in order separated by `>` (`CUTTING>SEWING>PACKING`;
/// empty: the five stages); `labour_minutes` is `STAGE:minutes` pairs separated by `;`
/// (`CUTTING:3;SEWING:14.5`). Each row becomes an article's fields or a reason, with its line. Pure.
public enum ArticleCSV {
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var code: String
        public var name: String
        public var customer: String?
        public var route: [Stage]
        public var labourMinutes: [StageMinutes]
    }

    public typealias Rejection = CSVTable.Rejection

    public static let required = ["code", "name"]

    public static func parse(_ text: String) -> (rows: [Row], rejections: [Rejection]) {
        let table: CSVTable
        switch CSVTable.read(text, required: required, maxRows: ImportArticles.maxRows) {
        case .success(let read): table = read
        case .failure(let refusal): return ([], [refusal])
        }
        var rows: [Row] = []
        var rejections: [Rejection] = []
        for record in table.rows {
            var reasons = record.problems
            let name = record.values["name"] ?? ""
            if name.isEmpty { reasons.append("name is required") }
            let route = stages(record.values["route"] ?? "", reasons: &reasons)
            let labour = minutes(record.values["labour_minutes"] ?? "", reasons: &reasons)
            reasons += ArticleRules.routeProblems(route, labour).map { "\($0.field) \($0.message)" }
            if reasons.isEmpty {
                let customer = record.values["customer"].flatMap { $0.isEmpty ? nil : $0 }
                rows.append(
                    Row(
                        line: record.line, code: record.code, name: name, customer: customer,
                        route: route ?? Stage.defaultRoute, labourMinutes: labour))
            } else {
                rejections.append(
                    Rejection(
                        line: record.line, code: record.code.isEmpty ? nil : record.code,
                        reason: reasons.joined(separator: "; ")))
            }
        }
        return (rows, rejections)
    }

    /// `CUTTING>SEWING`; nil when empty (the default route).
    static func stages(_ text: String, reasons: inout [String]) -> [Stage]? {
        let names = text.split(separator: ">").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        guard !names.isEmpty else { return nil }
        let stages = names.compactMap(Stage.init(rawValue:))
        if stages.count != names.count {
            reasons.append("route must list stages of \(Stage.allCases.map(\.rawValue).joined(separator: ", ")) separated by >")
        }
        return stages
    }

    /// `CUTTING:3;SEWING:14.5`; empty when the column is empty.
    static func minutes(_ text: String, reasons: inout [String]) -> [StageMinutes] {
        var result: [StageMinutes] = []
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let stage = Stage(rawValue: parts[0].uppercased()),
                parts[1].allSatisfy({ $0.isNumber || $0 == "." }),
                let value = Decimal(string: parts[1], locale: Locale(identifier: "en_US_POSIX"))
            else {
                reasons.append("labour_minutes must be STAGE:minutes pairs separated by ; (like CUTTING:3;SEWING:14.5)")
                return []
            }
            result.append(StageMinutes(stage: stage, minutes: value))
        }
        return result
    }
}
