import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Quality's final inspection gates finished goods: Warehouse keeps each lot's state from Quality's
/// events (DESIGN rule 1); a carton in a lot enters FINISHED_GOODS only once its lot PASSED, and a
/// FAILED lot's cartons go to QUARANTINE.
struct QualityGate {
    let now: @Sendable () -> Date

    /// A FAILED lot whose NCR was decided USE_AS_IS: its cartons may be confirmed.
    static let concession = "CONCESSION"

    /// OPEN → PASSED | FAILED only: a late `opened` never undoes a verdict (events of one lot may arrive out of order).
    static func keep(_ inspection: Inspection, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO inspection_lots (code, status, order_code, updated_at) VALUES
                (\(inspection.code), \(inspection.status.rawValue), \(inspection.orderCode), now())
            ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
            WHERE inspection_lots.status = 'OPEN'
            """, logger: logger)
        for carton in inspection.cartons {
            try await connection.query("""
                INSERT INTO lot_cartons (carton_id, lot_code) VALUES (\(carton.cartonId), \(inspection.code))
                ON CONFLICT (carton_id) DO UPDATE SET lot_code = EXCLUDED.lot_code
                WHERE lot_cartons.lot_code <> EXCLUDED.lot_code
                  AND (SELECT status FROM inspection_lots WHERE code = lot_cartons.lot_code) = 'FAILED'
                """, logger: logger)
        }
    }

    /// The lot a carton is in and its state; nil when it is in none.
    static func lot(of carton: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (code: String, status: String)? {
        let rows = try await connection.query("""
            SELECT l.code, l.status FROM lot_cartons c JOIN inspection_lots l ON l.code = c.lot_code WHERE c.carton_id = \(carton)
            """, logger: logger)
        for try await (code, status) in rows.decode((String, String).self) { return (code, status) }
        return nil
    }

    /// A lot's state as this service knows it; nil when it never heard of it.
    static func lotStatus(_ code: String, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        for try await status in try await connection.query("SELECT status FROM inspection_lots WHERE code = \(code)", logger: logger)
            .decode(String.self) { return status }
        return nil
    }

    /// The cartons whose lot is `code` now (a re-inspected carton belongs to its newest lot).
    static func cartons(of code: String, on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        var ids: [UUID] = []
        for try await id in try await connection.query("SELECT carton_id FROM lot_cartons WHERE lot_code = \(code) ORDER BY carton_id",
                                                       logger: logger).decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// A quarantined carton may be confirmed again: VERIFIED, still in QUARANTINE (confirming moves it to FINISHED_GOODS).
    static func release(_ carton: Carton, reason: String, store: CartonStore, now: Date, _ context: MessageContext) async throws {
        var released = carton
        released.status = .verified
        released.discrepancy = "released: \(reason)"
        released.updatedAt = now
        try await store.update(released)
        try await context.publish(CartonReleased(carton: released, reason: reason))
        try await context.audit("carton", carton.sscc, "release", before: carton, after: released)
    }

    /// 409 naming the lot unless the carton's lot passed or was released by concession (or, when final
    /// inspection is not required, the carton is in no lot at all).
    static func requirePassed(_ carton: Carton, required: Bool, on connection: PostgresConnection, logger: Logger) async throws {
        guard let lot = try await lot(of: carton.id, on: connection, logger: logger) else {
            if required {
                throw ErrorReply.conflict("\(carton.sscc) has not passed a final inspection: open an inspection lot for \(carton.orderCode ?? "its order") first.")
            }
            return
        }
        guard lot.status == InspectionStatus.passed.rawValue || lot.status == Self.concession else {
            throw ErrorReply.conflict("\(carton.sscc) is in inspection lot \(lot.code), which is \(lot.status): only a PASSED lot's cartons (or a FAILED lot's released by a USE_AS_IS concession) enter FINISHED_GOODS.")
        }
    }

    func opened(_ event: InspectionOpened, _ context: MessageContext) async throws {
        try await Self.keep(event.inspection, on: context.connection, logger: context.logger)
    }

    /// A re-inspection's PASS releases the cartons it holds that are still in QUARANTINE from their failed lot.
    func passed(_ event: InspectionPassed, _ context: MessageContext) async throws {
        try await Self.keep(event.inspection, on: context.connection, logger: context.logger)
        let store = CartonStore(connection: context.connection, logger: context.logger)
        for member in event.inspection.cartons {
            guard let carton = try await store.find(member.cartonId.uuidString, lock: true), carton.status == .quarantined,
                  try await Self.lot(of: carton.id, on: context.connection, logger: context.logger)?.code == event.inspection.code else { continue }
            try await Self.release(carton, reason: "re-inspection \(event.inspection.code) passed", store: store, now: now(), context)
        }
    }

    /// The lot's cartons not yet in stock go into QUARANTINE (FG_RECEIPT there), as a mismatch at verification does.
    /// The verdict is kept whatever happens (the gate holds the cartons out of FINISHED_GOODS); when they cannot be
    /// quarantined, nothing moves and Quality hears why.
    func failed(_ event: InspectionFailed, _ context: MessageContext) async throws {
        try await Self.keep(event.inspection, on: context.connection, logger: context.logger)
        _ = try await context.carryOut({ try await quarantine(event.inspection, context) }, refused: { refusal in
            try await Self.refused(event.inspection.code, refusal, now: now(), context)
        })
    }

    /// Tells Quality that the warehouse could not carry out the verdict on inspection `code`, and why.
    static func refused(_ code: String, _ refusal: ErrorReply, now: Date, _ context: MessageContext) async throws {
        let refused = InspectionStockRefused(inspectionCode: code, reason: refusal.message, occurredAt: now)
        try await context.publish(refused)
        try await context.audit("inspection_stock", code, "refused", before: String?.none, after: refused)
        context.logger.notice("inspection \(code): nothing moved: \(refusal.message)")
    }

    private func quarantine(_ inspection: Inspection, _ context: MessageContext) async throws {
        let store = CartonStore(connection: context.connection, logger: context.logger)
        let ledger = LedgerStore(connection: context.connection, logger: context.logger)
        guard let quarantine = try await ledger.first(.quarantine) else {
            throw ErrorReply.rule("There is no QUARANTINE location for the cartons of failed lot \(inspection.code).")
        }
        let reason = "failed final inspection \(inspection.code)\(inspection.ncrCode.map { " (\($0))" } ?? "")"
        for member in inspection.cartons {
            guard var carton = try await store.find(member.cartonId.uuidString, lock: true),
                  [.registered, .received, .verified].contains(carton.status) else { continue }
            // A carton released from QUARANTINE but not confirmed yet (a concession) is in stock there already.
            if carton.location == nil {
                let item = try await Items(context: context).require(carton.articleCode, kind: .article, field: "carton")
                _ = try await Ledger(context).post([NewMovement(type: .fgReceipt, item: item, qty: Decimal(carton.qty), from: nil,
                                                                to: quarantine.code, reference: carton.sscc, reason: "quarantined: \(reason)")])
            }
            carton.status = .quarantined
            carton.location = quarantine.code
            carton.discrepancy = reason
            carton.updatedAt = now()
            try await store.update(carton)
            try await context.publish(CartonQuarantined(carton: carton))
            try await context.audit("carton", carton.sscc, "quarantine", before: String?.none, after: carton)
        }
    }
}
