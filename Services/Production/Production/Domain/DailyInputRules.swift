import Contracts
import Foundation

/// Pure rules for a day's input on an SPK: what is valid, who may record it, and what the SPK
/// becomes. No I/O.
enum DailyInputRules {
    struct Outcome: Equatable {
        var producedQty: Int
        var rejectQty: Int
        var status: SPKStatus
        var shift: Shift
        /// The operator's user id, when one was named.
        var operatorId: String?
    }

    /// What besides the SPK an entry is judged against.
    struct Surroundings {
        /// The previous stage of the SPK's order: this stage may not report more good output than it passed on.
        var previousStage: SPK? = nil
        /// The first date input may carry: the order's start for an order's stage (a stage may begin
        /// early once it has WIP); nil = the SPK's start.
        var earliestDate: LocalDate? = nil
        /// The user `operator_id` named, as the gateway found them (nil: no such user).
        var `operator`: OperatorRef? = nil
    }

    /// The entry on its own: whole numbers within their bounds (the contract's), not both 0, sane lengths.
    static func validate(_ entry: DailyInputEntry) throws(ErrorReply) {
        var problems = entry.problems
        if entry.qty == 0 && entry.rejectQty == 0 {
            problems.append(.init(field: "qty", message: "qty and reject_qty must not both be 0"))
        }
        if (entry.notes?.count ?? 0) > 2000 { problems.append(.init(field: "notes", message: "must be at most 2000 characters")) }
        if let id = entry.clientEntryId, id.isEmpty || id.count > 100 {
            problems.append(.init(field: "client_entry_id", message: "must be 1 to 100 characters"))
        }
        if !problems.isEmpty { throw .validation(problems) }
    }

    /// The entry against the SPK as it is now, on the factory's date `today`.
    static func apply(
        _ entry: DailyInputEntry, to spk: SPK, actor: Actor?, policy: ProductionPolicy, today: LocalDate,
        surroundings: Surroundings = Surroundings()
    ) throws(ErrorReply) -> Outcome {
        try validate(entry)
        guard let actor else { throw .forbidden("Recording production needs a signed-in user.") }
        guard actor.hasAny(ProductionPermissions.record) else {
            throw .forbidden("Recording production needs a production role.")
        }
        guard ProductionPermissions.reaches(actor, spk.department) else {
            throw .forbidden(
                "You may record input only for SPKs of your department (\(actor.department ?? "none")); \(spk.code) belongs to \(spk.department.rawValue)."
            )
        }
        guard spk.status.isOpen else {
            throw .conflict("\(spk.code) is \(spk.status.rawValue) and takes no more input.")
        }
        if entry.date > today {
            throw .rule("The date is in the future.", details: [.init(field: "date", message: "must not be after \(today)")])
        }
        if let problem = InputRules.dateProblem(entry.date, field: "date", today: today) {
            throw .validation([problem])  // a date in another century; the contract checks it too
        }
        let earliest = surroundings.earliestDate ?? spk.startDate
        if entry.date < earliest {
            throw .rule(
                "The date is before the SPK starts.",
                details: [.init(field: "date", message: "must not be before the start date \(earliest)")])
        }
        let (shift, operatorId) = try crew(of: entry, on: spk, policy: policy, operator: surroundings.operator)
        if let previous = surroundings.previousStage {
            let available = max(0, previous.producedQty - spk.producedQty)
            if entry.qty > available {
                throw .rule(
                    "\(previous.stage.rawValue) of \(spk.orderCode ?? "the order") has passed on \(previous.producedQty) and \(spk.stage.rawValue) has reported \(spk.producedQty): only \(available) available.",
                    details: [.init(field: "qty", message: "at most \(available) available from \(previous.stage.rawValue)")])
            }
        }
        let produced = spk.producedQty + entry.qty
        let limit = policy.maximumOutput(target: spk.targetQty)
        if produced > limit {
            throw .rule(
                "This would bring \(spk.code) to \(produced), more than its target \(spk.targetQty) plus \(policy.overrunTolerancePercent)%.",
                details: [.init(field: "qty", message: "at most \(max(0, limit - spk.producedQty)) more can be recorded")])
        }
        let status = SPKStatus.running(produced: produced, target: spk.targetQty, started: true)
        return Outcome(
            producedQty: produced, rejectQty: spk.rejectQty + entry.rejectQty, status: status, shift: shift,
            operatorId: operatorId)
    }

    /// An entry's defects (when it names any): each code once, upper-cased; known (an active code of
    /// the SPK's stage, `known` holds them); their qty summing to `reject_qty`. 422 naming the field.
    static func checkDefects(_ entry: DailyInputEntry, stage: Stage, known: Set<String>) throws(ErrorReply) {
        guard let defects = entry.defects, !defects.isEmpty else { return }
        var problems: [FieldError] = []
        var seen: Set<String> = []
        for (index, line) in defects.enumerated() {
            let code = normalizedDefectCode(line.code)
            if !seen.insert(code).inserted {
                problems.append(.init(field: "defects[\(index)].code", message: "\(code) is named twice"))
            } else if !known.contains(code) {
                problems.append(.init(field: "defects[\(index)].code", message: "\(code) is not a defect code of \(stage.rawValue)"))
            }
        }
        let sum = defects.reduce(0) { $0 + $1.qty }  // bounded: at most 50 lines of at most 1,000,000
        if sum != entry.rejectQty {
            problems.append(.init(field: "defects", message: "add up to \(sum), but reject_qty is \(entry.rejectQty)"))
        }
        if !problems.isEmpty { throw .rule("The defects do not match the rejects.", details: problems) }
    }

    static func normalizedDefectCode(_ code: String) -> String { code.trimmingCharacters(in: .whitespaces).uppercased() }

    /// The shift and operator an entry records. A shift-based stage needs DAY or NIGHT and an operator;
    /// other stages record NONE. A named operator must be an active user of the SPK's department.
    static func crew(
        of entry: DailyInputEntry, on spk: SPK, policy: ProductionPolicy,
        operator found: OperatorRef?
    ) throws(ErrorReply) -> (Shift, String?) {
        let named = entry.operatorId.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        var shift = Shift.none
        if policy.isShiftBased(spk.stage) {
            var missing: [FieldError] = []
            if entry.shift == nil || entry.shift == Shift.none {
                missing.append(.init(field: "shift", message: "is required for \(spk.stage.rawValue) input: DAY or NIGHT"))
            }
            if named == nil {
                missing.append(.init(field: "operator_id", message: "is required for \(spk.stage.rawValue) input: the user who did the work"))
            }
            if !missing.isEmpty { throw .rule("\(spk.stage.rawValue) works in shifts: say which shift and who worked.", details: missing) }
            shift = entry.shift ?? .none
        }
        guard let named else { return (shift, nil) }
        guard let found else {
            throw .rule("There is no user \(named).", details: [.init(field: "operator_id", message: "must be a user of \(spk.department.rawValue)")])
        }
        guard found.active else {
            throw .rule("\(found.username) is deactivated.", details: [.init(field: "operator_id", message: "must be an active user")])
        }
        guard found.department == spk.department.rawValue else {
            throw .rule(
                "\(found.username) works in \(found.department ?? "no department"), not \(spk.department.rawValue).",
                details: [.init(field: "operator_id", message: "must be a user of \(spk.department.rawValue)")])
        }
        return (shift, found.id.uuidString)
    }
}
