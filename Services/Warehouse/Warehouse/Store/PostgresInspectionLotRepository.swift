import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// `inspection_lots` and `lot_cartons`, on the handler's connection.
struct PostgresInspectionLotRepository: InspectionLotRepository {
    func keep(_ inspection: Inspection, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO inspection_lots (code, status, order_code, updated_at) VALUES
                (\(inspection.code), \(inspection.status.rawValue), \(inspection.orderCode), now())
            ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
            WHERE inspection_lots.status = 'OPEN'
            """, logger: context.logger)
        for carton in inspection.cartons {
            try await context.connection.query(
                """
                INSERT INTO lot_cartons (carton_id, lot_code) VALUES (\(carton.cartonId), \(inspection.code))
                ON CONFLICT (carton_id) DO UPDATE SET lot_code = EXCLUDED.lot_code
                WHERE lot_cartons.lot_code <> EXCLUDED.lot_code
                  AND (SELECT status FROM inspection_lots WHERE code = lot_cartons.lot_code) = 'FAILED'
                """, logger: context.logger)
        }
    }

    func lot(of carton: UUID, in context: MessageContext) async throws -> (code: String, status: String)? {
        let rows = try await context.connection.query(
            """
            SELECT l.code, l.status FROM lot_cartons c JOIN inspection_lots l ON l.code = c.lot_code WHERE c.carton_id = \(carton)
            """, logger: context.logger)
        for try await (code, status) in rows.decode((String, String).self) { return (code, status) }
        return nil
    }

    func status(of lot: String, in context: MessageContext) async throws -> String? {
        for try await status in try await context.connection.query("SELECT status FROM inspection_lots WHERE code = \(lot)", logger: context.logger)
            .decode(String.self)
        { return status }
        return nil
    }

    func cartons(of lot: String, in context: MessageContext) async throws -> [UUID] {
        var ids: [UUID] = []
        for try await id in try await context.connection.query(
            "SELECT carton_id FROM lot_cartons WHERE lot_code = \(lot) ORDER BY carton_id",
            logger: context.logger
        ).decode(UUID.self) { ids.append(id) }
        return ids
    }

    func grantConcession(_ lot: String, in context: MessageContext) async throws {
        try await context.connection.query(
            "UPDATE inspection_lots SET status = 'CONCESSION', updated_at = now() WHERE code = \(lot)",
            logger: context.logger)
    }
}
