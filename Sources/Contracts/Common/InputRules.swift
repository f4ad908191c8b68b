/// The bounds every value from outside is held to (docs/architecture.md, rule 6). A request's
/// `validate()` checks them; the gateway calls it before it sends a request and the owning service
/// as it reads one (`Envelope` decoding), so one rule serves both sides and a service never sees a
/// number it could overflow on or a NUL PostgreSQL would refuse.
public enum InputRules {
    /// The most of anything one request may name (an order, an SPK's target, a day's rejects).
    /// Sums of a few such values stay far inside `Int`, so arithmetic on them cannot trap.
    public static let quantity = 0...10_000_000
    /// The furthest page a list may be asked for: `(page - 1) * per_page` stays far inside `Int`.
    public static let pages = 1...1_000_000
    /// Free text people type (notes, reasons) may hold line breaks and tabs and be this long.
    public static let freeTextFields: Set<String> = ["notes", "reason"]
    public static let maxFreeTextLength = 2000
    /// Any other text (codes, ids, names, cursors) is one line, at most this long.
    public static let maxTextLength = 500

    /// `value` within `range`, or what is wrong with it.
    public static func check(_ value: Int, _ field: String, in range: ClosedRange<Int>) -> FieldError? {
        BoundsRecorder.current?.record(field, Double(range.lowerBound), Double(range.upperBound), whole: true)
        return range.contains(value) ? nil : FieldError(field: field, message: "must be between \(range.lowerBound) and \(range.upperBound)")
    }

    /// What is wrong with one text field: control characters (NUL and the like — PostgreSQL refuses
    /// NUL, logs and screens garble the rest; free text may keep line breaks and tabs) or its length.
    public static func textProblem(_ text: String, field: String) -> FieldError? {
        // Printable ASCII, most text, holds no control character and as many characters as bytes:
        // checked by bytes, without the Unicode properties and grapheme counting of the general case.
        let printableASCII = text.utf8.allSatisfy { (0x20..<0x7F).contains($0) }
        if printableASCII, text.utf8.count <= maxTextLength { return nil }
        let name = field.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? field
        let freeText = freeTextFields.contains(name)
        let allowed: Set<Unicode.Scalar> = freeText ? ["\n", "\r", "\t"] : []
        if !printableASCII,
            text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) })
        {
            return FieldError(
                field: field,
                message: freeText
                    ? "must not contain control characters other than line breaks and tabs"
                    : "must not contain control characters")
        }
        let limit = freeText ? maxFreeTextLength : maxTextLength
        if (printableASCII ? text.utf8.count : text.count) > limit { return FieldError(field: field, message: "must be at most \(limit) characters") }
        return nil
    }

    /// Every text problem anywhere in `value` (a decoded body or request), named by its snake_case
    /// path (`entries[3].notes`). One walk serves every request type, present and future (`TextWalk`).
    public static func textProblems(in value: some Encodable, path: String = "") -> [FieldError] {
        TextWalk.problems(in: value, path: path)
    }
}

/// A request (or body) whose items its owner judges one by one, each refused on its own — a phone's
/// backlog — so the whole-request checks leave the items alone.
public protocol ItemwiseValidated {}

extension Request {
    /// The request's own bounds (its numbers); the text rule is checked for every request besides.
    public var inputProblems: [FieldError] { [] }

    /// Every bound of the request: its text anywhere, and its own `inputProblems`. 400 naming the fields.
    public func validate() throws(ErrorReply) {
        let text = self is any ItemwiseValidated ? [] : InputRules.textProblems(in: self)
        let problems = FieldError.unique(text + inputProblems)
        if !problems.isEmpty { throw .validation(problems) }
    }
}

extension InputRules {
    /// A text that must say something (a reason, a name): nil when it does, else "is required" for `field`.
    public static func requiredText(_ value: String, field: String) -> FieldError? {
        value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? FieldError(field: field, message: "is required") : nil
    }
}

extension FieldError {
    /// `problems` without repeats, in order (the text-and-date walk and a request's own rules may both see a date).
    public static func unique(_ problems: [FieldError]) -> [FieldError] {
        var seen = Set<FieldError>()
        return problems.filter { seen.insert($0).inserted }
    }
}
