import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Non-conformance reports: opened from a failed inspection or by hand, decided by the department's
/// head, escalated to MANAGER when undecided for `escalationHours`.
struct NCRHandlers {
    let settings: QualitySettings

    func open(_ command: OpenNCR, _ context: MessageContext) async throws -> NCR {
        _ = try context.require(QualityPermissions.openNCR, to: "Opening an NCR")
        let title = command.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw ErrorReply.validation([.init(field: "title", message: "is required: what is wrong")]) }
        func code(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return try await open(
            title: title, articleCode: code(command.articleCode), orderCode: code(command.orderCode), inspectionCode: nil,
            stage: command.stage, qty: command.qty, notes: command.notes, materialCode: code(command.materialCode),
            location: code(command.location), context)
    }

    /// Opens an NCR in the caller's transaction and announces it.
    func open(
        title: String, articleCode: String?, orderCode: String?, inspectionCode: String?, stage: Stage?, qty: Int, notes: String?,
        materialCode: String? = nil, location: String? = nil, _ context: MessageContext
    ) async throws -> NCR {
        let store = QualityStore(connection: context.connection, logger: context.logger)
        let at = settings.now()
        let ncr = NCR(
            id: UUID(), code: try await store.nextCode(prefix: "NCR", day: LocalDate.of(at, in: settings.timeZone)), status: .open,
            title: String(title.prefix(500)), articleCode: articleCode, orderCode: orderCode, inspectionCode: inspectionCode,
            stage: stage, qty: qty, notes: notes, openedBy: context.actor?.username ?? "system", openedAt: at,
            escalateAt: at.addingTimeInterval(Double(settings.escalationHours) * 3600), materialCode: materialCode, location: location)
        try await store.insert(ncr)
        try await context.publish(NCROpened(ncr: ncr))
        try await context.audit("ncr", ncr.code, "open", before: NCR?.none, after: ncr)
        return ncr
    }

    func decide(_ command: DecideNCR, _ context: MessageContext) async throws -> NCR {
        let actor = try context.require(QualityPermissions.decide, to: "Deciding an NCR")
        let store = QualityStore(connection: context.connection, logger: context.logger)
        guard let before = try await store.ncr(command.ncr, lock: true) else { throw ErrorReply.notFound("NCR \(command.ncr)") }
        // Decided once — unless the warehouse could not carry the decision out (then it may be decided again).
        guard before.status != .decided || before.stockStatus == .failed else {
            throw ErrorReply.conflict("\(before.code) was already decided: \(before.decision?.rawValue ?? "").")
        }
        if command.decision == .useAsIs && !actor.hasAny(QualityPermissions.concession) {
            throw ErrorReply.forbidden("USE_AS_IS is a concession: it needs MANAGER.")
        }
        if before.status == .escalated && !actor.hasAny(QualityPermissions.concession) {
            throw ErrorReply.forbidden("\(before.code) was escalated: MANAGER decides it now.")
        }
        var ncr = before
        if command.decision == .rework {
            guard let stage = command.reworkStage ?? before.stage else {
                throw ErrorReply.rule(
                    "Rework needs a stage.", details: [.init(field: "rework_stage", message: "name the stage that reworks \(before.qty)")])
            }
            guard before.articleCode != nil else {
                throw ErrorReply.rule(
                    "\(before.code) names no article, so no rework SPK can be made.",
                    details: [.init(field: "decision", message: "REWORK needs an NCR with an article")])
            }
            ncr.reworkStage = stage
        }
        try await checkStock(command.decision, before, store)
        ncr.stockStatus = command.decision == .rework ? nil : .pending
        ncr.stockNote = nil
        ncr.status = .decided
        ncr.decision = command.decision
        ncr.decisionNotes = command.notes
        ncr.decidedBy = actor.username
        ncr.decidedAt = settings.now()
        try await store.update(ncr)
        try await context.publish(NCRDecided(ncr: ncr))
        try await context.audit("ncr", ncr.code, "decide-\(command.decision.rawValue.lowercased())", before: before, after: ncr)
        return ncr
    }

    /// SCRAP, RETURN_TO_SUPPLIER and USE_AS_IS move stock: the NCR must say which (a failed lot's cartons, a held
    /// receipt, or a material or article by hand); only material goes back to a supplier. 422 naming `decision` otherwise.
    private func checkStock(_ decision: NCRDecision, _ ncr: NCR, _ store: QualityStore) async throws {
        guard decision != .rework else { return }
        var lot: Inspection?
        if let code = ncr.inspectionCode { lot = try await store.inspection(code) }
        if ncr.inspectionCode == nil && ncr.materialCode == nil && ncr.articleCode == nil {
            throw ErrorReply.rule(
                "\(ncr.code) names no material or article, so there is no stock to \(decision.rawValue).",
                details: [.init(field: "decision", message: "\(decision.rawValue) needs an NCR that names its material or article")])
        }
        if decision == .returnToSupplier && (lot != nil || (ncr.inspectionCode == nil && ncr.materialCode == nil)) {
            throw ErrorReply.rule(
                "Only purchased material goes back to a supplier; \(ncr.code) is about finished goods.",
                details: [.init(field: "decision", message: "RETURN_TO_SUPPLIER needs an NCR about material")])
        }
    }

    /// What Warehouse did with the decision's stock: DONE, or FAILED with why (the NCR may then be decided again).
    func stockDisposed(_ event: NCRStockDisposed, _ context: MessageContext) async throws {
        let store = QualityStore(connection: context.connection, logger: context.logger)
        guard let before = try await store.ncr(event.ncrCode, lock: true), before.stockStatus == .pending, before.decision == event.decision
        else { return }
        var ncr = before
        ncr.stockStatus = event.applied ? .done : .failed
        ncr.stockNote = event.message
        try await store.update(ncr)
        try await context.audit("ncr", ncr.code, event.applied ? "stock-done" : "stock-failed", before: before, after: ncr)
    }

    func get(_ query: GetNCR, _ context: MessageContext) async throws -> NCR {
        _ = try context.require(Role.allCases, to: "Reading NCRs", servicesPass: true)
        guard let ncr = try await QualityStore(connection: context.connection, logger: context.logger).ncr(query.ncr) else {
            throw ErrorReply.notFound("NCR \(query.ncr)")
        }
        return ncr
    }

    func list(_ query: ListNCRs, _ context: MessageContext) async throws -> Page<NCR> {
        _ = try context.require(Role.allCases, to: "Reading NCRs", servicesPass: true)
        return try await QualityStore(connection: context.connection, logger: context.logger).ncrs(status: query.status, page: query.page)
    }
}

/// Quality's timers, safe with several instances (rows locked with SKIP LOCKED) and across restarts
/// (what is due is in the database): NCRs past their escalation time escalate; defect codes seeded by
/// a migration are announced.
struct QualityTimers {
    let settings: QualitySettings

    /// Escalates the NCRs due at `now`; returns how many.
    @discardableResult
    func escalateDue(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let store = QualityStore(connection: connection, logger: logger)
        let now = settings.now()
        let due = try await store.dueForEscalation(at: now)
        let system = Actor.system(ServiceName.quality.rawValue)
        for before in due {
            var ncr = before
            ncr.status = .escalated
            ncr.escalatedAt = now
            try await store.update(ncr)
            try await Outbox.enqueue([try .event(Envelope(NCREscalated(ncr: ncr), actor: system))], on: connection, logger: logger)
            try await AuditLog(connection: connection, logger: logger).record(
                entity: "ncr", id: ncr.code, action: "escalate", actor: system,
                correlationId: nil, before: before, after: ncr)
        }
        if !due.isEmpty { logger.info("\(due.count) NCR(s) escalated to MANAGER") }
        return due.count
    }

    /// Announces codes no event has told yet (the seeded ones).
    @discardableResult
    func announceCodes(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let store = QualityStore(connection: connection, logger: logger)
        let codes = try await store.unannouncedCodes()
        let system = Actor.system(ServiceName.quality.rawValue)
        for code in codes {
            try await Outbox.enqueue([try .event(Envelope(DefectCodeSaved(defectCode: code), actor: system))], on: connection, logger: logger)
            try await store.markAnnounced(code.code)
        }
        return codes.count
    }

    func run(client: PostgresClient, logger: Logger, monitor: LoopMonitor) async {
        await PeriodicLoop("quality-timers", every: settings.sweepInterval).run(monitor: monitor, logger: logger) {
            try await client.transaction(logger: logger) { connection in
                _ = try await announceCodes(on: connection, logger: logger)
            }
            try await client.transaction(logger: logger) { connection in
                _ = try await escalateDue(on: connection, logger: logger)
            }
        }
    }
}
