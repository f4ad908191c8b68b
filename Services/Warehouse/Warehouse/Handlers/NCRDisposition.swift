import Contracts
import Foundation
import Messaging
import ServiceKit

/// An NCR's decision applied to the stock (Quality decides, Warehouse moves it):
/// - a failed final-inspection lot's cartons (in QUARANTINE): SCRAP scraps them (SCRAPPED); USE_AS_IS, a
///   concession, releases them — VERIFIED again, confirmed from QUARANTINE into FINISHED_GOODS — and the lot
///   counts as CONCESSION; REWORK leaves them for the re-inspection.
/// - a material receipt that failed its incoming inspection (in QUARANTINE): SCRAP; RETURN_TO_SUPPLIER (a
///   RETURN_TO_SUPPLIER movement out of QUARANTINE); USE_AS_IS (a TRANSFER to where it was received for).
/// - an NCR by hand: its `qty` of its material (or article) at its location (default QUARANTINE): SCRAP,
///   RETURN_TO_SUPPLIER (materials only); USE_AS_IS moves it out of QUARANTINE to RAW_MATERIAL (FINISHED_GOODS
///   for an article), elsewhere nothing moves.
/// Once per decision (the inbox). What moved — or why nothing could (not enough stock where the NCR says, say:
/// a deterministic refusal is reported, never retried or dead-lettered) — goes out as `NCRStockDisposed`.
struct NCRDisposition {
    let repositories: WarehouseRepositories
    let gate: QualityGate
    /// How long a decision waits for the failure it is about (seconds).
    static let awaitFailure: TimeInterval = 600

    func decided(_ event: NCRDecided, _ context: MessageContext) async throws {
        let ncr = event.ncr
        guard let decision = ncr.decision, decision != .rework else { return }
        let outcome = try await context.carryOut(
            { try await apply(decision, ncr, context) },
            refused: { refusal in
                try await report(ncr, decision, applied: false, message: refusal.explanation, [], context)
            })
        if let (movements, message) = outcome { try await report(ncr, decision, applied: true, message: message, movements, context) }
    }

    private func report(
        _ ncr: NCR, _ decision: NCRDecision, applied: Bool, message: String, _ movements: [Movement],
        _ context: MessageContext
    ) async throws {
        let disposed = NCRStockDisposed(
            ncrCode: ncr.code, decision: decision, applied: applied, message: message, orderCode: ncr.orderCode,
            movements: movements, occurredAt: context.now)
        try await context.publish(disposed)
        try await context.audit("ncr_stock", ncr.code, applied ? decision.rawValue.lowercased() : "refused", before: String?.none, after: disposed)
        if !applied { context.logger.notice("NCR \(ncr.code) \(decision.rawValue): nothing moved: \(message)") }
    }

    private func apply(_ decision: NCRDecision, _ ncr: NCR, _ context: MessageContext) async throws -> ([Movement], String) {
        if let code = ncr.inspectionCode {
            if let lot = try await repositories.lots.status(of: code, in: context) {
                return try await lotCartons(decision, ncr, lot: code, status: lot, context)
            }
            if let held = try await repositories.heldReceipts.receipt(inspection: code, in: context) {
                return try await heldReceipt(decision, ncr, held, context)
            }
            // Quality published the failure before the decision; here it may not have landed yet. Waited for a
            // while only: a lot or receipt the warehouse never heard of (held before it kept inspection codes) is refused.
            if context.now.timeIntervalSince(ncr.decidedAt ?? context.now) < Self.awaitFailure {
                throw AwaitingEarlierEvent("\(ncr.code) is about \(code), which the warehouse has not heard of yet")
            }
            throw ErrorReply.rule("The warehouse holds no lot and no receipt of \(code).")
        }
        return try await byHand(decision, ncr, context)
    }

    // MARK: A failed lot's cartons

    private func lotCartons(_ decision: NCRDecision, _ ncr: NCR, lot: String, status: String, _ context: MessageContext)
        async throws -> ([Movement], String)
    {
        if status == InspectionStatus.open.rawValue { throw AwaitingEarlierEvent("lot \(lot) has not failed here yet") }
        guard status == InspectionStatus.failed.rawValue else { throw ErrorReply.conflict("Inspection lot \(lot) is \(status), not FAILED.") }
        let store = repositories.cartons
        var cartons: [Carton] = []
        for id in try await repositories.lots.cartons(of: lot, in: context) {
            if let carton = try await store.find(id.uuidString, lock: true, in: context), carton.status == .quarantined { cartons.append(carton) }
        }
        guard !cartons.isEmpty else { throw ErrorReply.rule("No carton of lot \(lot) is in QUARANTINE.") }
        let units = cartons.reduce(0) { $0 + $1.qty }
        switch decision {
        case .scrap:
            var moves: [NewMovement] = []
            for carton in cartons {
                let item = try await Items(repositories.items, context).require(carton.articleCode, kind: .article, field: "article_code")
                moves.append(
                    NewMovement(
                        type: .scrap, item: item, qty: Decimal(carton.qty), from: carton.location, to: nil, reference: ncr.code,
                        reason: "\(carton.sscc) scrapped: \(ncr.code)"))
            }
            let posted = try await Ledger(repositories.ledger, context).post(moves)
            for var carton in cartons {
                let before = carton
                carton.status = .scrapped
                carton.location = nil
                carton.updatedAt = context.now
                try await store.update(carton, in: context)
                try await context.audit("carton", carton.sscc, "scrap", before: before, after: carton)
            }
            return (posted, "\(cartons.count) carton(s) of lot \(lot), \(units) unit(s), scrapped from QUARANTINE")
        case .useAsIs:
            try await repositories.lots.grantConcession(lot, in: context)
            for carton in cartons {
                try await gate.release(carton, reason: "\(ncr.code) USE_AS_IS (concession on lot \(lot))", context)
            }
            return ([], "\(cartons.count) carton(s) of lot \(lot) released by concession: confirm them into FINISHED_GOODS")
        case .returnToSupplier, .rework:
            throw ErrorReply.rule("Finished goods of lot \(lot) are not returned to a supplier: REWORK, SCRAP or USE_AS_IS them.")
        }
    }

    // MARK: A held material receipt that failed its incoming inspection

    private func heldReceipt(_ decision: NCRDecision, _ ncr: NCR, _ held: HeldReceipt, _ context: MessageContext) async throws
        -> ([Movement], String)
    {
        guard held.status == "REJECTED" else {
            throw ErrorReply.conflict("The receipt \(ncr.inspectionCode ?? "") held is \(held.status) already.")
        }
        let item = try await Items(repositories.items, context).require(held.itemCode, kind: .material, field: "material_code")
        let move: NewMovement
        let status: String
        let message: String
        switch decision {
        case .scrap:
            move = NewMovement(
                type: .scrap, item: item, qty: held.qty, from: held.quarantine, to: nil, reference: ncr.code,
                reason: "scrapped: \(ncr.code)")
            status = "SCRAPPED"
            message = "\(held.qty) \(item.code) scrapped from \(held.quarantine)"
        case .returnToSupplier:
            move = NewMovement(
                type: .returnToSupplier, item: item, qty: held.qty, from: held.quarantine, to: nil, reference: ncr.code,
                reason: "returned to the supplier: \(ncr.code)")
            status = "RETURNED"
            message = "\(held.qty) \(item.code) returned to the supplier from \(held.quarantine)"
        case .useAsIs:
            move = NewMovement(
                type: .transfer, item: item, qty: held.qty, from: held.quarantine, to: held.releaseTo, reference: ncr.code,
                reason: "released by concession: \(ncr.code)")
            status = "RELEASED"
            message = "\(held.qty) \(item.code) released by concession to \(held.releaseTo)"
        case .rework:
            return ([], "")
        }
        let posted = try await Ledger(repositories.ledger, context).post([move])
        try await repositories.heldReceipts.close(
            movement: held.movementId, status: status,
            releasedBy: decision == .useAsIs ? posted.first?.id : nil, in: context)
        return (posted, message)
    }

    // MARK: An NCR by hand

    private func byHand(_ decision: NCRDecision, _ ncr: NCR, _ context: MessageContext) async throws -> ([Movement], String) {
        guard let code = ncr.materialCode ?? ncr.articleCode else {
            throw ErrorReply.rule("\(ncr.code) names no material or article, so there is no stock to move.")
        }
        let item = try await Items(repositories.items, context).require(
            code, kind: ncr.materialCode != nil ? .material : .article, field: "material_code")
        let ledger = repositories.ledger
        let location: Location
        if let named = ncr.location {
            guard let found = try await ledger.location(named, in: context) else { throw ErrorReply.rule("There is no location \(named).") }
            location = found
        } else {
            guard let quarantine = try await ledger.first(.quarantine, in: context) else { throw ErrorReply.rule("There is no QUARANTINE location.") }
            location = quarantine
        }
        let qty = Decimal(ncr.qty)
        let move: NewMovement
        switch decision {
        case .scrap:
            move = NewMovement(type: .scrap, item: item, qty: qty, from: location.code, to: nil, reference: ncr.code, reason: "scrapped: \(ncr.code)")
        case .returnToSupplier:
            guard item.kind == .material else { throw ErrorReply.rule("\(item.code) is an article: only material goes back to a supplier.") }
            move = NewMovement(
                type: .returnToSupplier, item: item, qty: qty, from: location.code, to: nil, reference: ncr.code,
                reason: "returned to the supplier: \(ncr.code)")
        case .useAsIs:
            guard location.type == .quarantine else { return ([], "\(qty) \(item.code) stays at \(location.code) (used as is)") }
            guard let target = try await ledger.first(item.kind == .material ? .rawMaterial : .finishedGoods, in: context) else {
                throw ErrorReply.rule(
                    "There is no \(item.kind == .material ? "RAW_MATERIAL" : "FINISHED_GOODS") location to release \(item.code) to.")
            }
            move = NewMovement(
                type: .transfer, item: item, qty: qty, from: location.code, to: target.code, reference: ncr.code,
                reason: "released by concession: \(ncr.code)")
        case .rework:
            return ([], "")
        }
        let posted = try await Ledger(ledger, context).post([move])
        return (posted, "\(qty) \(item.code) \(move.type.rawValue) from \(location.code)\(move.to.map { " to \($0)" } ?? "")")
    }
}
