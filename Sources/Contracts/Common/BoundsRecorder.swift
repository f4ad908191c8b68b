import Foundation

/// A value from outside whose numbers have bounds: `inputProblems` names every field out of them.
/// Requests have it (`Request`); a part of one that is also an HTTP body (a daily-input entry) too.
public protocol BoundedInput {
    var inputProblems: [FieldError] { get }
}

/// Hears every bound a check applies while it is set (`InputRules.check`, `DecimalRules`), so the
/// API document states exactly the bounds the checks enforce: it runs a request's `inputProblems`
/// once with a recorder set and reads the bounds back, instead of keeping a second list that could drift.
public final class BoundsRecorder: @unchecked Sendable {  // used by one task at a time, inside `recording`
    public struct Bound: Sendable, Hashable {
        /// The field as the check names it: `qty`, `lines[0].qty`.
        public var field: String
        public var minimum: Double?
        public var maximum: Double?
        /// The minimum itself is refused (a quantity that must be more than 0).
        public var exclusiveMinimum = false
        /// Whole numbers only (an `Int` field); otherwise a decimal with at most `scale` places when known.
        public var whole = false
        public var scale: Int?
        /// For text: a regular expression the value matches.
        public var pattern: String?
    }

    public private(set) var bounds: [Bound] = []

    @TaskLocal public static var current: BoundsRecorder?

    public init() {}

    func record(_ field: String, _ minimum: Double, _ maximum: Double, whole: Bool, scale: Int? = nil, exclusiveMinimum: Bool = false) {
        bounds.append(Bound(field: field, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum, whole: whole, scale: scale))
    }

    func record(_ field: String, pattern: String) {
        bounds.append(Bound(field: field, pattern: pattern))
    }

    /// The bounds `input`'s checks apply.
    public static func bounds(of input: any BoundedInput) -> [Bound] {
        let recorder = BoundsRecorder()
        $current.withValue(recorder) { _ = input.inputProblems }
        return recorder.bounds
    }
}

extension DailyInputEntry: BoundedInput {
    public var inputProblems: [FieldError] { problems }
}
