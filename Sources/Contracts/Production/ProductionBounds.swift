/// The bounds of Production's requests (InputRules.swift says why they exist and who checks them).
extension DailyInputEntry {
    /// The most one entry may report, good or rejected: a line's day is far below it, and an SPK's
    /// totals (sums of such entries) stay far inside `Int`.
    public static let maxQty = 1_000_000

    /// `qty` and `reject_qty` within 0…1,000,000.
    public var problems: [FieldError] {
        [InputRules.check(qty, "qty", in: 0...Self.maxQty), InputRules.check(rejectQty, "reject_qty", in: 0...Self.maxQty)]
            .compactMap { $0 } + DefectCount.problems(defects, maxQty: Self.maxQty)
    }
}

extension InputRules {
    /// An SPK's or an order's quantity: at least 1, at most `quantity`'s bound. The contract holds a
    /// plan to `quantity` (what arithmetic needs); Production's rules ask for at least 1 alongside
    /// its other rules, so a form with several mistakes hears of all of them at once.
    public static let plannedQuantity = 1...quantity.upperBound
}

extension InputRules {
    /// What is wrong with a plan to make `qty` of an article between two dates (an SPK's or an order's).
    /// The dates lie within the window around the factory's `today`. Checked at the gateway as the request is
    /// read (`CreateSPK`, `CreateOrder`) and again by Production on its own clock; all at once, so a form
    /// with several mistakes hears of all of them.
    public static func planProblems(
        article: String, qty: Int, qtyField: String, start: LocalDate, due: LocalDate,
        notes: String?, today: LocalDate
    ) -> [FieldError] {
        var problems: [FieldError] = []
        let article = article.trimmingCharacters(in: .whitespaces)
        if article.isEmpty { problems.append(.init(field: "article_code", message: "must not be empty")) }
        if article.count > 64 { problems.append(.init(field: "article_code", message: "must be at most 64 characters")) }
        if let problem = InputRules.check(qty, qtyField, in: InputRules.plannedQuantity) { problems.append(problem) }
        problems += [
            InputRules.dateProblem(start, field: "start_date", today: today), InputRules.dateProblem(due, field: "due_date", today: today),
            InputRules.dateOrder(start, "start_date", due, "due_date"),
        ].compactMap { $0 }
        if (notes?.count ?? 0) > 2000 { problems.append(.init(field: "notes", message: "must be at most 2000 characters")) }
        return problems
    }
}

extension CreateSPK {
    public var inputProblems: [FieldError] {
        InputRules.planProblems(
            article: articleCode, qty: originalQty, qtyField: "original_qty", start: startDate, due: dueDate,
            notes: notes, today: InputRules.today)
    }
}

extension CreateOrder {
    public var inputProblems: [FieldError] {
        InputRules.planProblems(
            article: articleCode, qty: qty, qtyField: "qty", start: startDate, due: dueDate, notes: notes,
            today: InputRules.today) + InputRules.routeProblems(stages ?? Stage.defaultRoute)
    }
}

extension InputRules {
    /// What is wrong with an order's route: at least one stage, none twice, in the route's order.
    public static func routeProblems(_ route: [Stage]) -> [FieldError] {
        var problems: [FieldError] = []
        if route.isEmpty { problems.append(.init(field: "stages", message: "must name at least one stage")) }
        if Set(route).count != route.count {
            problems.append(.init(field: "stages", message: "must not name a stage twice"))
        } else if route != Stage.defaultRoute.filter(route.contains) {
            problems.append(
                .init(field: "stages", message: "must follow the route order \(Stage.defaultRoute.map(\.rawValue).joined(separator: " → "))"))
        }
        return problems
    }
}

extension RecordDailyInput {
    public var inputProblems: [FieldError] { entry.problems }
}

/// A phone's backlog is judged entry by entry (one bad entry must not fail the rest, or the phone
/// could never sync): only the batch's size is the batch's; Production refuses a bad entry alone.
extension RecordMobileBatch: ItemwiseValidated {
    public var inputProblems: [FieldError] {
        (1...Self.maxEntries).contains(entries.count)
            ? []
            : [FieldError(field: "entries", message: "must hold 1 to \(Self.maxEntries) entries")]
    }
}

extension ListSPKs {
    public var inputProblems: [FieldError] { page.problems }
}

extension ListOrders {
    public var inputProblems: [FieldError] { page.problems }
}

extension ExportSPKs {
    public var inputProblems: [FieldError] { [InputRules.check(limit, "limit", in: 1...Self.maxLimit)].compactMap { $0 } }
}

extension ExportDailyInputs {
    public var inputProblems: [FieldError] { [InputRules.check(limit, "limit", in: 1...Self.maxLimit)].compactMap { $0 } }
}
