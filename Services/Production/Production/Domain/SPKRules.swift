import Contracts
import Foundation

/// Pure rules for creating an SPK: no I/O, so they are unit-tested on their own.
enum SPKRules {
    static func validate(_ command: CreateSPK, actor: Actor?, today: LocalDate) throws(ErrorReply) {
        guard let actor, actor.hasAny(ProductionPermissions.createSPK) else {
            throw .forbidden("Creating an SPK needs one of the roles \(ProductionPermissions.createSPK.map(\.rawValue).joined(separator: ", ")).")
        }
        let problems = planProblems(
            article: command.articleCode, qty: command.originalQty, qtyField: "original_qty",
            start: command.startDate, due: command.dueDate, notes: command.notes, today: today)
        if !problems.isEmpty { throw .validation(problems) }
    }

    /// What is wrong with a plan to make `qty` of an article between two dates: the contract's rule
    /// (`InputRules.planProblems`), run again on Production's own clock, as the owner.
    static func planProblems(
        article: String, qty: Int, qtyField: String, start: LocalDate, due: LocalDate,
        notes: String?, today: LocalDate
    ) -> [FieldError] {
        InputRules.planProblems(article: article, qty: qty, qtyField: qtyField, start: start, due: due, notes: notes, today: today)
    }

    static func code(day: LocalDate, sequence: Int) -> String {
        String(format: "SPK-%04d%02d%02d-%04d", day.year, day.month, day.day, sequence)
    }
}
