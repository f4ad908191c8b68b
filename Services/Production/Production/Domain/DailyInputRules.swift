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
    }

    /// The entry on its own: whole numbers ≥ 0, not both 0, sane lengths.
    static func validate(_ entry: DailyInputEntry) throws(ErrorReply) {
        var problems: [FieldError] = []
        if entry.qty < 0 { problems.append(.init(field: "qty", message: "must be a whole number ≥ 0")) }
        if entry.rejectQty < 0 { problems.append(.init(field: "reject_qty", message: "must be a whole number ≥ 0")) }
        if entry.qty == 0 && entry.rejectQty == 0 {
            problems.append(.init(field: "qty", message: "qty and reject_qty must not both be 0"))
        }
        if entry.qty > 1_000_000 { problems.append(.init(field: "qty", message: "must be at most 1,000,000")) }
        if (entry.notes?.count ?? 0) > 2000 { problems.append(.init(field: "notes", message: "must be at most 2000 characters")) }
        if let id = entry.clientEntryId, id.isEmpty || id.count > 100 {
            problems.append(.init(field: "client_entry_id", message: "must be 1 to 100 characters"))
        }
        if !problems.isEmpty { throw .validation(problems) }
    }

    /// The entry against the SPK as it is now.
    static func apply(_ entry: DailyInputEntry, to spk: SPK, actor: Actor?, policy: ProductionPolicy) throws(ErrorReply) -> Outcome {
        try validate(entry)
        guard let actor else { throw .forbidden("Recording production needs a signed-in user.") }
        if !actor.hasAny(ProductionPermissions.recordAnyDepartment) {
            guard actor.has(.productionStaff) else {
                throw .forbidden("Recording production needs a production role.")
            }
            guard actor.department == spk.department.rawValue else {
                throw .forbidden("You may record input only for SPKs of your department (\(actor.department ?? "none")); \(spk.code) belongs to \(spk.department.rawValue).")
            }
        }
        guard spk.status.isOpen else {
            throw .conflict("\(spk.code) is \(spk.status.rawValue) and takes no more input.")
        }
        let today = policy.today
        if entry.date > today {
            throw .rule("The date is in the future.", details: [.init(field: "date", message: "must not be after \(today)")])
        }
        if entry.date < spk.startDate {
            throw .rule("The date is before the SPK starts.",
                        details: [.init(field: "date", message: "must not be before the start date \(spk.startDate)")])
        }
        let produced = spk.producedQty + entry.qty
        let limit = policy.maximumOutput(target: spk.targetQty)
        if produced > limit {
            throw .rule("This would bring \(spk.code) to \(produced), more than its target \(spk.targetQty) plus \(policy.overrunTolerancePercent)%.",
                        details: [.init(field: "qty", message: "at most \(max(0, limit - spk.producedQty)) more can be recorded")])
        }
        let status: SPKStatus = produced >= spk.targetQty ? .completed : .inProgress
        return Outcome(producedQty: produced, rejectQty: spk.rejectQty + entry.rejectQty, status: status,
                       shift: entry.shift ?? .none)
    }
}
