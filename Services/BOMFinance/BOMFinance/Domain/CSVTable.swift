import Contracts
import Foundation

/// A CSV file of master data, read once for every importer: a header naming the columns (any order,
/// case-insensitive), quoted fields with `""` escapes, one item a row keyed by its `code`. Each row
/// carries its line number, its values by column, its normalised code and what is wrong with it as a
/// row (field count, control characters, the code, a code repeated); the importer adds its own checks.
public struct CSVTable: Sendable {
    public struct Rejection: Error, Sendable, Hashable {
        public var line: Int
        public var code: String?
        public var reason: String
    }

    public struct Row: Sendable {
        public var line: Int
        public var values: [String: String]
        public var code: String
        public var problems: [String]
    }

    public var rows: [Row]

    /// The table, or why the file as a whole cannot be read (empty, no rows, a required column missing,
    /// too many rows).
    public static func read(_ text: String, required: [String], maxRows: Int) -> Result<CSVTable, Rejection> {
        let lines = records(text)
        guard let header = lines.first else { return .failure(Rejection(line: 1, code: nil, reason: "the file is empty")) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = required.filter { !names.contains($0) }
        if !missing.isEmpty {
            return .failure(Rejection(line: header.line, code: nil, reason: "the header lacks \(missing.joined(separator: ", "))"))
        }
        if lines.count == 1 { return .failure(Rejection(line: header.line, code: nil, reason: "the file has no rows")) }
        if lines.count - 1 > maxRows {
            return .failure(Rejection(line: header.line, code: nil, reason: "at most \(maxRows) rows per file"))
        }
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for record in lines.dropFirst() {
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() where index < record.fields.count {
                values[name] = record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            let code = ItemCode.normalized(values["code"] ?? "")
            var problems: [String] = []
            if record.fields.count != names.count { problems.append("has \(record.fields.count) fields, the header \(names.count)") }
            for field in record.fields {
                if let problem = InputRules.textProblem(field, field: "field") { problems.append(problem.message) }
            }
            if let problem = ItemCode.problem(code, "code") { problems.append("code \(problem.message)") }
            if let first = seen[code], !code.isEmpty { problems.append("code \(code) is already on line \(first)") }
            if !code.isEmpty, seen[code] == nil { seen[code] = record.line }
            rows.append(Row(line: record.line, values: values, code: code, problems: problems))
        }
        return .success(CSVTable(rows: rows))
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
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(field)
                field = ""
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
