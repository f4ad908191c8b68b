import Contracts
import Foundation

/// Pure rules for manufacturing orders: what a valid order is, its route, and how its window is
/// shared out between the stages.
enum OrderRules {
    /// The order's route: `stages` if given (a shortened default route, in route order), else the default.
    static func validate(_ command: CreateOrder, actor: Actor?, today: LocalDate) throws(ErrorReply) -> [Stage] {
        guard let actor, actor.hasAny(ProductionPermissions.createSPK) else {
            throw .forbidden(
                "Creating a manufacturing order needs one of the roles \(ProductionPermissions.createSPK.map(\.rawValue).joined(separator: ", ")).")
        }
        var problems = SPKRules.planProblems(
            article: command.articleCode, qty: command.qty, qtyField: "qty",
            start: command.startDate, due: command.dueDate, notes: command.notes, today: today)
        let route = command.stages ?? Stage.defaultRoute
        problems += InputRules.routeProblems(route)
        if !problems.isEmpty { throw .validation(problems) }
        return route
    }

    /// Planned dates per stage: the window's days shared out in route order, each stage starting
    /// where the previous one ends; the last one ends on the due date. With fewer days than stages,
    /// stages share days.
    static func plannedWindows(stages: Int, start: LocalDate, due: LocalDate) -> [(start: LocalDate, due: LocalDate)] {
        let days = dayCount(from: start, to: due)
        return (0..<stages).map { index in
            let first = index * days / stages
            let last = max(first, (index + 1) * days / stages - 1)
            return (start.adding(days: first), index == stages - 1 ? due : start.adding(days: last))
        }
    }

    static func code(day: LocalDate, sequence: Int) -> String {
        String(format: "MO-%04d%02d%02d-%04d", day.year, day.month, day.day, sequence)
    }

    /// Days from `start` to `due`, both included.
    static func dayCount(from start: LocalDate, to due: LocalDate) -> Int {
        Int(((due.startOfDayUTC.timeIntervalSince(start.startOfDayUTC)) / 86_400).rounded()) + 1
    }
}
