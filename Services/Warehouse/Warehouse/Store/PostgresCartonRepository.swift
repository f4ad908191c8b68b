import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Cartons, delivery notes and customer returns, stored whole with the columns queries need.
struct PostgresCartonRepository: CartonRepository {
    func nextSerial(in context: MessageContext) async throws -> Int64 {
        for try await serial in try await context.connection.query("SELECT nextval('sscc_serial')", logger: context.logger).decode(Int64.self) {
            return serial
        }
        throw ErrorReply(.internalError, "no SSCC serial could be drawn")
    }

    func insert(_ carton: Carton, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO cartons (id, sscc, status, order_code, delivery_note, updated_at, document)
            VALUES (\(carton.id), \(carton.sscc), \(carton.status.rawValue), \(carton.orderCode), \(carton.deliveryNote),
                    \(carton.updatedAt), \(try Self.json(carton))::jsonb)
            """, logger: context.logger)
    }

    func update(_ carton: Carton, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            UPDATE cartons SET status = \(carton.status.rawValue), delivery_note = \(carton.deliveryNote), updated_at = \(carton.updatedAt),
                   document = \(try Self.json(carton))::jsonb
            WHERE id = \(carton.id)
            """, logger: context.logger)
    }

    /// By id or SSCC; `lock` serialises scans of one carton.
    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> Carton? {
        try await context.connection.document(
            Carton.self, in: "cartons", reference: reference, codeColumn: "sscc", lock: lock, logger: context.logger)
    }

    func insert(_ note: DeliveryNote, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO delivery_notes (code, shipped_at, document) VALUES (\(note.code), \(note.shippedAt), \(try Self.json(note))::jsonb)
            """, logger: context.logger)
    }

    func deliveryNote(_ code: String, in context: MessageContext) async throws -> DeliveryNote? {
        let rows = try await context.connection.query(
            "SELECT document::text FROM delivery_notes WHERE code = \(code.uppercased())", logger: context.logger)
        for try await document in rows.decode(String.self) { return try StitchJSON.decode(DeliveryNote.self, from: Array(document.utf8)) }
        return nil
    }

    func insert(_ customerReturn: CustomerReturn, in context: MessageContext) async throws {
        try await context.connection.query(
            """
            INSERT INTO customer_returns (id, delivery_note, received_at, document)
            VALUES (\(customerReturn.id), \(customerReturn.deliveryNote), \(customerReturn.receivedAt), \(try Self.json(customerReturn))::jsonb)
            """, logger: context.logger)
    }

    /// Quantity of `article` already returned against `deliveryNote`.
    func returned(deliveryNote: String, in context: MessageContext) async throws -> [String: Int] {
        let rows = try await context.connection.query(
            """
            SELECT line->>'article_code', sum((line->>'qty')::bigint)::bigint FROM customer_returns, jsonb_array_elements(document->'lines') line
            WHERE delivery_note = \(deliveryNote) GROUP BY 1
            """, logger: context.logger)
        var result: [String: Int] = [:]
        for try await (article, qty) in rows.decode((String, Int).self) { result[article] = qty }
        return result
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try StitchJSON.encode(value), as: UTF8.self)
    }
}
