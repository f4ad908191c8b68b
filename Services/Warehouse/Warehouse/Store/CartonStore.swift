import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Cartons, delivery notes and customer returns, stored whole with the columns queries need.
struct CartonStore {
    let connection: PostgresConnection
    let logger: Logger

    func nextSerial() async throws -> Int64 {
        for try await serial in try await connection.query("SELECT nextval('sscc_serial')", logger: logger).decode(Int64.self) {
            return serial
        }
        throw ErrorReply(.internalError, "no SSCC serial could be drawn")
    }

    func insert(_ carton: Carton) async throws {
        try await connection.query("""
            INSERT INTO cartons (id, sscc, status, order_code, delivery_note, updated_at, document)
            VALUES (\(carton.id), \(carton.sscc), \(carton.status.rawValue), \(carton.orderCode), \(carton.deliveryNote),
                    \(carton.updatedAt), \(try Self.json(carton))::jsonb)
            """, logger: logger)
    }

    func update(_ carton: Carton) async throws {
        try await connection.query("""
            UPDATE cartons SET status = \(carton.status.rawValue), delivery_note = \(carton.deliveryNote), updated_at = \(carton.updatedAt),
                   document = \(try Self.json(carton))::jsonb
            WHERE id = \(carton.id)
            """, logger: logger)
    }

    /// By id or SSCC; `lock` serialises scans of one carton.
    func find(_ reference: String, lock: Bool = false) async throws -> Carton? {
        try await connection.document(Carton.self, in: "cartons", reference: reference, codeColumn: "sscc", lock: lock, logger: logger)
    }

    func insert(_ note: DeliveryNote) async throws {
        try await connection.query("""
            INSERT INTO delivery_notes (code, shipped_at, document) VALUES (\(note.code), \(note.shippedAt), \(try Self.json(note))::jsonb)
            """, logger: logger)
    }

    func deliveryNote(_ code: String) async throws -> DeliveryNote? {
        let rows = try await connection.query("SELECT document::text FROM delivery_notes WHERE code = \(code.uppercased())", logger: logger)
        for try await document in rows.decode(String.self) { return try StitchJSON.decode(DeliveryNote.self, from: Array(document.utf8)) }
        return nil
    }

    func insert(_ customerReturn: CustomerReturn) async throws {
        try await connection.query("""
            INSERT INTO customer_returns (id, delivery_note, received_at, document)
            VALUES (\(customerReturn.id), \(customerReturn.deliveryNote), \(customerReturn.receivedAt), \(try Self.json(customerReturn))::jsonb)
            """, logger: logger)
    }

    /// Quantity of `article` already returned against `deliveryNote`.
    func returned(deliveryNote: String) async throws -> [String: Int] {
        let rows = try await connection.query("""
            SELECT line->>'article_code', sum((line->>'qty')::bigint)::bigint FROM customer_returns, jsonb_array_elements(document->'lines') line
            WHERE delivery_note = \(deliveryNote) GROUP BY 1
            """, logger: logger)
        var result: [String: Int] = [:]
        for try await (article, qty) in rows.decode((String, Int).self) { result[article] = qty }
        return result
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try StitchJSON.encode(value), as: UTF8.self)
    }
}
