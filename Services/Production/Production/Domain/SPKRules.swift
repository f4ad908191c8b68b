import Contracts
import Foundation

/// Pure rules for creating an SPK: no I/O, so they are unit-tested on their own.
enum SPKRules {
    static func validate(_ command: CreateSPK, actor: Actor?, today: LocalDate) throws(ErrorReply) {
        guard let actor, actor.hasAny(ProductionPermissions.createSPK) else {
            throw .forbidden("Creating an SPK needs one of the roles \(ProductionPermissions.createSPK.map(\.rawValue).joined(separator: ", ")).")
        }
        let problems = planProblems(article: command.articleCode, qty: command.originalQty, qtyField: "original_qty",
                                    start: command.startDate, due: command.dueDate, notes: command.notes, today: today)
        if !problems.isEmpty { throw .validation(problems) }
    }

    /// What is wrong with a plan to make `qty` of an article between two dates (an SPK's or an order's).
    /// The dates lie within the window around the factory's `today` (the contract checks it as the request
    /// is read; checked here again against Production's own clock, as the owner).
    static func planProblems(article: String, qty: Int, qtyField: String, start: LocalDate, due: LocalDate,
                             notes: String?, today: LocalDate) -> [FieldError] {
        var problems: [FieldError] = []
        let article = article.trimmingCharacters(in: .whitespaces)
        if article.isEmpty { problems.append(.init(field: "article_code", message: "must not be empty")) }
        if article.count > 64 { problems.append(.init(field: "article_code", message: "must be at most 64 characters")) }
        if let problem = InputRules.check(qty, qtyField, in: InputRules.plannedQuantity) { problems.append(problem) }
        problems += [InputRules.dateProblem(start, field: "start_date", today: today), InputRules.dateProblem(due, field: "due_date", today: today),
                     InputRules.dateOrder(start, "start_date", due, "due_date")].compactMap { $0 }
        if (notes?.count ?? 0) > 2000 { problems.append(.init(field: "notes", message: "must be at most 2000 characters")) }
        return problems
    }

    static func code(day: LocalDate, sequence: Int) -> String {
        String(format: "SPK-%04d%02d%02d-%04d", day.year, day.month, day.day, sequence)
    }
}
