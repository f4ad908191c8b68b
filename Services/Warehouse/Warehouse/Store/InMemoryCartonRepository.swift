import Contracts
import Foundation
import ServiceKit
import Synchronization

/// Cartons, delivery notes and customer returns in memory, for handler tests: the same look-ups as
/// `PostgresCartonRepository` (its locks are moot in one process).
final class InMemoryCartonRepository: CartonRepository {
    private struct State {
        var serial: Int64 = 0
        var cartons: [UUID: Carton] = [:]
        var notes: [String: DeliveryNote] = [:]
        var returns: [CustomerReturn] = []
    }

    private let state = Mutex(State())

    init() {}

    func nextSerial(in context: MessageContext) async throws -> Int64 {
        state.withLock { state in
            state.serial += 1
            return state.serial
        }
    }

    func insert(_ carton: Carton, in context: MessageContext) async throws {
        state.withLock { $0.cartons[carton.id] = carton }
    }

    func update(_ carton: Carton, in context: MessageContext) async throws {
        state.withLock { state in
            if state.cartons[carton.id] != nil { state.cartons[carton.id] = carton }
        }
    }

    func find(_ reference: String, lock: Bool, in context: MessageContext) async throws -> Carton? {
        state.withLock { $0.cartons.values.first { RecordReference.names(reference, id: $0.id, code: $0.sscc) } }
    }

    func insert(_ note: DeliveryNote, in context: MessageContext) async throws {
        state.withLock { $0.notes[note.code] = note }
    }

    func deliveryNote(_ code: String, in context: MessageContext) async throws -> DeliveryNote? {
        state.withLock { $0.notes[code.uppercased()] }
    }

    func insert(_ customerReturn: CustomerReturn, in context: MessageContext) async throws {
        state.withLock { $0.returns.append(customerReturn) }
    }

    func returned(deliveryNote: String, in context: MessageContext) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for line in state.withLock({ $0.returns }).filter({ $0.deliveryNote == deliveryNote }).flatMap(\.lines) {
            result[line.articleCode, default: 0] += line.qty
        }
        return result
    }
}
