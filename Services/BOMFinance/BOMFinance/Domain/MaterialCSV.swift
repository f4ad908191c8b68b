import Contracts
import Foundation

/// Reading a materials CSV: header `code,name,category,unit[,standard_cost[,effective_from]]`
/// (any order, case-insensitive), quoted fields with `""` escapes. Each row becomes a material or
/// a reason it was refused, with its line number. Pure: what exists already is decided by the caller.
public enum MaterialCSV {
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var code: String
        public var name: String
        public var category: MaterialCategory
        public var unit: UnitOfMeasure
        public var standardCost: Decimal?
        public var effectiveFrom: LocalDate?
    }

    public typealias Rejection = CSVTable.Rejection

    public static let required = ["code", "name", "category", "unit"]

    public static func parse(_ text: String) -> (rows: [Row], rejections: [Rejection]) {
        let table: CSVTable
        switch CSVTable.read(text, required: required, maxRows: ImportMaterials.maxRows) {
        case .success(let read): table = read
        case .failure(let refusal): return ([], [refusal])
        }
        var rows: [Row] = []
        var rejections: [Rejection] = []
        for record in table.rows {
            let value = record.values
            let code = record.code
            var reasons = record.problems
            let name = value["name"] ?? ""
            if name.isEmpty { reasons.append("name is required") }
            let category = MaterialCategory(rawValue: (value["category"] ?? "").uppercased())
            if category == nil { reasons.append("category must be one of \(MaterialCategory.allCases.map(\.rawValue).joined(separator: ", "))") }
            let unit = UnitOfMeasure(rawValue: (value["unit"] ?? "").uppercased())
            if unit == nil { reasons.append("unit must be one of \(UnitOfMeasure.allCases.map(\.rawValue).joined(separator: ", "))") }
            var cost: Decimal?
            if let text = value["standard_cost"], !text.isEmpty {
                if let parsed = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                    text.allSatisfy({ $0.isNumber || $0 == "." })
                {
                    if let problem = DecimalRules.checkMoney(parsed, "standard_cost") {
                        reasons.append("standard_cost \(problem.message)")
                    } else {
                        cost = parsed
                    }
                } else {
                    reasons.append("standard_cost must be a number like 12.5")
                }
            }
            var effective: LocalDate?
            if let text = value["effective_from"], !text.isEmpty {
                if let date = LocalDate(text) { effective = date } else { reasons.append("effective_from must be a date as YYYY-MM-DD") }
            }
            if reasons.isEmpty, let category, let unit {
                rows.append(
                    Row(
                        line: record.line, code: code, name: name, category: category, unit: unit, standardCost: cost,
                        effectiveFrom: effective))
            } else {
                rejections.append(Rejection(line: record.line, code: code.isEmpty ? nil : code, reason: reasons.joined(separator: "; ")))
            }
        }
        return (rows, rejections)
    }
}
