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

    public struct Rejection: Sendable, Hashable {
        public var line: Int
        public var code: String?
        public var reason: String
    }

    public static let required = ["code", "name", "category", "unit"]

    public static func parse(_ text: String) -> (rows: [Row], rejections: [Rejection]) {
        let lines = records(text)
        guard let header = lines.first else { return ([], [Rejection(line: 1, code: nil, reason: "the file is empty")]) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = required.filter { !names.contains($0) }
        if !missing.isEmpty {
            return ([], [Rejection(line: header.line, code: nil, reason: "the header lacks \(missing.joined(separator: ", "))")])
        }
        if lines.count - 1 > ImportMaterials.maxRows {
            return ([], [Rejection(line: header.line, code: nil, reason: "at most \(ImportMaterials.maxRows) rows per file")])
        }
        var rows: [Row] = []
        var rejections: [Rejection] = []
        var seen: [String: Int] = [:]
        for record in lines.dropFirst() {
            var value: [String: String] = [:]
            for (index, name) in names.enumerated() where index < record.fields.count {
                value[name] = record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            let code = ItemCode.normalized(value["code"] ?? "")
            var reasons: [String] = []
            if record.fields.count != names.count { reasons.append("has \(record.fields.count) fields, the header \(names.count)") }
            for field in record.fields {
                if let problem = InputRules.textProblem(field, field: "field") { reasons.append(problem.message) }
            }
            if let problem = ItemCode.problem(code, "code") { reasons.append("code \(problem.message)") }
            let name = value["name"] ?? ""
            if name.isEmpty { reasons.append("name is required") }
            let category = MaterialCategory(rawValue: (value["category"] ?? "").uppercased())
            if category == nil { reasons.append("category must be one of \(MaterialCategory.allCases.map(\.rawValue).joined(separator: ", "))") }
            let unit = UnitOfMeasure(rawValue: (value["unit"] ?? "").uppercased())
            if unit == nil { reasons.append("unit must be one of \(UnitOfMeasure.allCases.map(\.rawValue).joined(separator: ", "))") }
            var cost: Decimal?
            if let text = value["standard_cost"], !text.isEmpty {
                if let parsed = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                   text.allSatisfy({ $0.isNumber || $0 == "." }) {
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
            if let first = seen[code], !code.isEmpty { reasons.append("code \(code) is already on line \(first)") }
            if !code.isEmpty, seen[code] == nil { seen[code] = record.line }
            if reasons.isEmpty, let category, let unit {
                rows.append(Row(line: record.line, code: code, name: name, category: category, unit: unit, standardCost: cost,
                                effectiveFrom: effective))
            } else {
                rejections.append(Rejection(line: record.line, code: code.isEmpty ? nil : code, reason: reasons.joined(separator: "; ")))
            }
        }
        if rows.isEmpty && rejections.isEmpty { rejections.append(Rejection(line: header.line, code: nil, reason: "the file has no rows")) }
        return (rows, rejections)
    }

    /// Records with the (1-based) line each starts on; blank lines are skipped.
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var result: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var start = 1
        var characters = Array(text.replacingOccurrences(of: "\r\n", with: "\n")).makeIterator()
        var pending: Character? = nil
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty) { result.append((start, fields)) }
            fields = []
            field = ""
        }
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\n":
                endRecord()
                line += 1
                start = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return result
    }
}
