import Contracts
import Foundation
import Messaging
import ServiceKit

/// Final (OQC) inspection: a lot of an order's cartons, its Z1.4 plan, the result; a failed lot opens an NCR.
struct InspectionHandlers {
    let settings: QualitySettings

    func open(_ command: OpenInspection, _ context: MessageContext) async throws -> Inspection {
        let actor = try context.require(QualityPermissions.inspect, to: "Opening an inspection")
        let order = command.order.trimmingCharacters(in: .whitespaces).uppercased()
        guard !order.isEmpty else { throw ErrorReply.validation([.init(field: "order", message: "is required")]) }
        return try await openLot(order: order, cartons: command.cartons, reinspectionOf: nil, actor: actor, context)
    }

    /// After REWORK: a new lot of a FAILED lot's cartons (still in QUARANTINE); its PASS releases them.
    func reinspect(_ command: ReinspectLot, _ context: MessageContext) async throws -> Inspection {
        let actor = try context.require(QualityPermissions.inspect, to: "Re-inspecting a lot")
        let store = QualityStore(connection: context.connection, logger: context.logger)
        let failed = try await store.requireInspection(command.inspection, lock: true)
        guard failed.status == .failed else {
            throw ErrorReply.conflict("\(failed.code) is \(failed.status.rawValue): only a FAILED lot is re-inspected.")
        }
        if let code = failed.ncrCode, let ncr = try await store.ncr(code), !(ncr.status == .decided && ncr.decision == .rework) {
            let state = ncr.decision.map { "decided \($0.rawValue)" } ?? ncr.status.rawValue
            throw ErrorReply.conflict("\(failed.code)'s \(ncr.code) is \(state): re-inspection follows a REWORK decision.")
        }
        return try await openLot(
            order: failed.orderCode, cartons: failed.cartons.map(\.cartonId.uuidString), reinspectionOf: failed.code,
            actor: actor, context)
    }

    private func openLot(order: String, cartons references: [String], reinspectionOf: String?, actor: Actor, _ context: MessageContext)
        async throws -> Inspection
    {
        let store = QualityStore(connection: context.connection, logger: context.logger)
        var cartons: [Carton] = []
        var problems: [FieldError] = []
        for (index, reference) in references.enumerated() {
            let field = "cartons[\(index)]"
            let trimmed = reference.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                problems.append(.init(field: field, message: "is empty"))
                continue
            }
            let carton: Carton
            do {
                carton = try await context.askAsService(GetCarton(carton: trimmed))
            } catch let error as ErrorReply where error.code == .notFound {
                problems.append(.init(field: field, message: "there is no carton \(trimmed)"))
                continue
            }
            if cartons.contains(where: { $0.id == carton.id }) { continue }
            if carton.orderCode?.uppercased() != order {
                problems.append(.init(field: field, message: "\(carton.sscc) belongs to \(carton.orderCode ?? "no order"), not \(order)"))
                continue
            }
            // A quarantined carton comes back only from a FAILED lot (re-inspection after rework).
            let reworked = carton.status == .quarantined ? try await store.wasInFailedLot(carton.id) : false
            guard [.registered, .received, .verified].contains(carton.status) || reworked else {
                throw ErrorReply.conflict(
                    "\(carton.sscc) is \(carton.status.rawValue); only cartons not yet in finished goods (or a failed lot's, re-inspected) are inspected."
                )
            }
            if let lot = try await store.liveLot(of: carton.id) {
                throw ErrorReply.conflict("\(carton.sscc) is already in inspection lot \(lot).")
            }
            if let first = cartons.first, first.articleCode != carton.articleCode {
                problems.append(.init(field: field, message: "\(carton.sscc) holds \(carton.articleCode), the lot \(first.articleCode)"))
                continue
            }
            cartons.append(carton)
        }
        if !problems.isEmpty { throw ErrorReply.rule("Some cartons cannot be in this lot.", details: problems) }
        guard let article = cartons.first?.articleCode else {
            throw ErrorReply.validation([.init(field: "cartons", message: "name at least one carton")])
        }
        let lotSize = cartons.reduce(0) { $0 + $1.qty }
        guard let major = Z14.plan(lotSize: lotSize, aql: settings.aqlMajor), let minor = Z14.plan(lotSize: lotSize, aql: settings.aqlMinor) else {
            throw ErrorReply(.internalError, "The AQLs \(settings.aqlMajor)/\(settings.aqlMinor) are not in the sampling table.")
        }
        let sampleSize = min(lotSize, max(major.sampleSize, minor.sampleSize))
        let opened = InspectionRules.cartonsToOpen(cartons.map(\.qty), sampleSize: sampleSize)
        let at = settings.now()
        let inspection = Inspection(
            id: UUID(), code: try await store.nextCode(prefix: "QI", day: LocalDate.of(at, in: settings.timeZone)), orderCode: order,
            articleCode: article, lotSize: lotSize, sampleSize: sampleSize, major: major, minor: minor,
            cartons: cartons.enumerated().map { InspectedCarton(cartonId: $1.id, sscc: $1.sscc, qty: $1.qty, open: opened.contains($0)) },
            status: .open, createdBy: actor.username, createdAt: at, reinspectionOf: reinspectionOf)
        try await store.insert(inspection)
        try await context.publish(InspectionOpened(inspection: inspection))
        try await context.audit(
            "inspection", inspection.code, reinspectionOf == nil ? "open" : "reinspect", before: Inspection?.none,
            after: inspection)
        return inspection
    }

    func result(_ command: RecordInspectionResult, _ context: MessageContext) async throws -> Inspection {
        let actor = try context.require(QualityPermissions.inspect, to: "Recording an inspection's result")
        let store = QualityStore(connection: context.connection, logger: context.logger)
        let before = try await store.requireInspection(command.inspection, lock: true)
        guard before.status == .open else {
            throw ErrorReply.conflict("\(before.code) was already inspected: \(before.status.rawValue).")
        }
        let tally = try InspectionRules.tally(command.defects, codes: try await store.allCodes(), sampleSize: before.sampleSize)
        let verdict = InspectionRules.verdict(
            critical: tally.critical, major: tally.major, minor: tally.minor,
            majorPlan: before.major, minorPlan: before.minor)
        let at = settings.now()
        var inspection = before
        inspection.status = verdict.status
        inspection.defects = tally.lines
        inspection.criticalFound = tally.critical
        inspection.majorFound = tally.major
        inspection.minorFound = tally.minor
        inspection.inspectedBy = actor.username
        inspection.inspectedAt = at
        if verdict.status == .failed {
            let ncr = try await NCRHandlers(settings: settings).open(
                title: "Final inspection \(inspection.code) failed: \(verdict.reasons.joined(separator: "; "))",
                articleCode: inspection.articleCode, orderCode: inspection.orderCode, inspectionCode: inspection.code, stage: nil,
                qty: inspection.lotSize, notes: command.notes, context)
            inspection.ncrCode = ncr.code
            try await store.update(inspection)
            try await context.publish(InspectionFailed(inspection: inspection))
        } else {
            try await store.update(inspection)
            try await context.publish(InspectionPassed(inspection: inspection))
        }
        try await context.audit("inspection", inspection.code, verdict.status.rawValue.lowercased(), before: before, after: inspection)
        return inspection
    }

    func get(_ query: GetInspection, _ context: MessageContext) async throws -> Inspection {
        _ = try context.require(Role.allCases, to: "Reading inspections", servicesPass: true)
        return try await QualityStore(connection: context.connection, logger: context.logger).requireInspection(query.inspection)
    }
}
