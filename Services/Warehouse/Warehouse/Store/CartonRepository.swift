import Contracts
import Foundation
import ServiceKit

/// Cartons, delivery notes and customer returns, in the handler's unit of work: PostgreSQL
/// (`PostgresCartonRepository`) or memory (`InMemoryCartonRepository`).
protocol CartonRepository: Sendable {
    /// The next SSCC serial, never drawn twice.
    func nextSerial(in context: MessageContext) async throws -> Int64
    func insert(_ carton: Carton, in context: MessageContext) async throws
    func update(_ carton: Carton, in context: MessageContext) async throws
    /// By id or SSCC; `lock` serialises scans of one carton.
    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> Carton?
    func insert(_ note: DeliveryNote, in context: MessageContext) async throws
    /// By code, in any case.
    func deliveryNote(_ code: String, in context: MessageContext) async throws -> DeliveryNote?
    func insert(_ customerReturn: CustomerReturn, in context: MessageContext) async throws
    /// Quantity per article already returned against `deliveryNote`.
    func returned(deliveryNote: String, in context: MessageContext) async throws -> [String: Int]
}

extension CartonRepository {
    func find(_ reference: String, in context: MessageContext) async throws -> Carton? {
        try await find(reference, lock: false, in: context)
    }
}
