import Foundation

/// Splits a migration into statements for the extended query protocol, which runs one at a time.
/// Understands quotes, dollar-quoted bodies (`$$ … $$`, `$fn$ … $fn$`) and comments, so a `;` inside
/// a function body does not split it.
public enum SQLScript {
    public static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        let chars = Array(sql)
        var index = 0
        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty && !trimmed.allSatisfy({ $0 == ";" }) { statements.append(trimmed) }
            current = ""
        }
        while index < chars.count {
            let char = chars[index]
            let next = index + 1 < chars.count ? chars[index + 1] : nil
            if char == "-" && next == "-" {  // line comment
                while index < chars.count && chars[index] != "\n" { index += 1 }
                continue
            }
            if char == "/" && next == "*" {  // block comment
                index += 2
                while index + 1 < chars.count && !(chars[index] == "*" && chars[index + 1] == "/") { index += 1 }
                index += 2
                continue
            }
            if char == "'" || char == "\"" {
                current.append(char)
                index += 1
                while index < chars.count {
                    current.append(chars[index])
                    if chars[index] == char {
                        if index + 1 < chars.count && chars[index + 1] == char {  // doubled quote
                            current.append(chars[index + 1])
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                continue
            }
            if char == "$", let tagEnd = dollarTagEnd(chars, from: index) {
                let tag = String(chars[index...tagEnd])
                current += tag
                index = tagEnd + 1
                while index < chars.count {
                    if chars[index] == "$", String(chars[index..<min(chars.count, index + tag.count)]) == tag {
                        current += tag
                        index += tag.count
                        break
                    }
                    current.append(chars[index])
                    index += 1
                }
                continue
            }
            if char == ";" {
                flush()
                index += 1
                continue
            }
            current.append(char)
            index += 1
        }
        flush()
        return statements
    }

    /// `$tag$` starting at `start` (tag: letters, digits, underscores, not starting with a digit).
    private static func dollarTagEnd(_ chars: [Character], from start: Int) -> Int? {
        var index = start + 1
        while index < chars.count {
            let char = chars[index]
            if char == "$" { return index }
            guard char.isLetter || char == "_" || (char.isNumber && index > start + 1) else { return nil }
            index += 1
        }
        return nil
    }
}
