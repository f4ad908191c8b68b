import Contracts
import Foundation
import Messaging
import ServiceKit

/// Quality's final inspection gates finished goods: Warehouse keeps each lot's state from Quality's
/// events (DESIGN rule 1); a carton in a lot enters FINISHED_GOODS only once its lot PASSED, and a
/// FAILED lot's cartons go to QUARANTINE.
struct QualityGate {
    let repositories: WarehouseRepositories

    /// A FAILED lot whose NCR was decided USE_AS_IS: its cartons may be confirmed.
    static let concession = "CONCESSION"

    /// A quarantined carton may be confirmed again: VERIFIED, still in QUARANTINE (confirming moves it to FINISHED_GOODS).
    func release(_ carton: Carton, reason: String, _ context: MessageContext) async throws {
        var released = carton
        released.status = .verified
        released.discrepancy = "released: \(reason)"
        released.updatedAt = context.now
        try await repositories.cartons.update(released, in: context)
        try await context.publish(CartonReleased(carton: released, reason: reason))
        try await context.audit("carton", carton.sscc, "release", before: carton, after: released)
    }

    /// 409 naming the lot unless the carton's lot passed or was released by concession (or, when final
    /// inspection is not required, the carton is in no lot at all).
    func requirePassed(_ carton: Carton, required: Bool, _ context: MessageContext) async throws {
        guard let lot = try await repositories.lots.lot(of: carton.id, in: context) else {
            if required {
                throw ErrorReply.conflict(
                    "\(carton.sscc) has not passed a final inspection: open an inspection lot for \(carton.orderCode ?? "its order") first.")
            }
            return
        }
        guard lot.status == InspectionStatus.passed.rawValue || lot.status == Self.concession else {
            throw ErrorReply.conflict(
                "\(carton.sscc) is in inspection lot \(lot.code), which is \(lot.status): only a PASSED lot's cartons (or a FAILED lot's released by a USE_AS_IS concession) enter FINISHED_GOODS."
            )
        }
    }

    func opened(_ event: InspectionOpened, _ context: MessageContext) async throws {
        try await repositories.lots.keep(event.inspection, in: context)
    }

    /// A re-inspection's PASS releases the cartons it holds that are still in QUARANTINE from their failed lot.
    func passed(_ event: InspectionPassed, _ context: MessageContext) async throws {
        try await repositories.lots.keep(event.inspection, in: context)
        for member in event.inspection.cartons {
            guard let carton = try await repositories.cartons.find(member.cartonId.uuidString, lock: true, in: context),
                carton.status == .quarantined,
                try await repositories.lots.lot(of: carton.id, in: context)?.code == event.inspection.code
            else { continue }
            try await release(carton, reason: "re-inspection \(event.inspection.code) passed", context)
        }
    }

    /// The lot's cartons not yet in stock go into QUARANTINE (FG_RECEIPT there), as a mismatch at verification does.
    /// The verdict is kept whatever happens (the gate holds the cartons out of FINISHED_GOODS); when they cannot be
    /// quarantined, nothing moves and Quality hears why.
    func failed(_ event: InspectionFailed, _ context: MessageContext) async throws {
        try await repositories.lots.keep(event.inspection, in: context)
        _ = try await context.carryOut(
            { try await quarantine(event.inspection, context) },
            refused: { refusal in
                try await Self.refused(event.inspection.code, refusal, context)
            })
    }

    /// Tells Quality that the warehouse could not carry out the verdict on inspection `code`, and why.
    static func refused(_ code: String, _ refusal: ErrorReply, _ context: MessageContext) async throws {
        let refused = InspectionStockRefused(inspectionCode: code, reason: refusal.message, occurredAt: context.now)
        try await context.publish(refused)
        try await context.audit("inspection_stock", code, "refused", before: String?.none, after: refused)
        context.logger.notice("inspection \(code): nothing moved: \(refusal.message)")
    }

    private func quarantine(_ inspection: Inspection, _ context: MessageContext) async throws {
        let store = repositories.cartons
        guard let quarantine = try await repositories.ledger.first(.quarantine, in: context) else {
            throw ErrorReply.rule("There is no QUARANTINE location for the cartons of failed lot \(inspection.code).")
        }
        let reason = "failed final inspection \(inspection.code)\(inspection.ncrCode.map { " (\($0))" } ?? "")"
        for member in inspection.cartons {
            guard var carton = try await store.find(member.cartonId.uuidString, lock: true, in: context),
                [.registered, .received, .verified].contains(carton.status)
            else { continue }
            // A carton released from QUARANTINE but not confirmed yet (a concession) is in stock there already.
            if carton.location == nil {
                let item = try await Items(repositories.items, context).require(carton.articleCode, kind: .article, field: "carton")
                _ = try await Ledger(repositories.ledger, context).post([
                    NewMovement(
                        type: .fgReceipt, item: item, qty: Decimal(carton.qty), from: nil,
                        to: quarantine.code, reference: carton.sscc, reason: "quarantined: \(reason)")
                ])
            }
            carton.status = .quarantined
            carton.location = quarantine.code
            carton.discrepancy = reason
            carton.updatedAt = context.now
            try await store.update(carton, in: context)
            try await context.publish(CartonQuarantined(carton: carton))
            try await context.audit("carton", carton.sscc, "quarantine", before: String?.none, after: carton)
        }
    }
}
