import Contracts
import ServiceKit
import Synchronization

/// Approval's material copies in memory, for handler tests. Newest version wins, as in PostgreSQL.
final class InMemoryMaterialCopyRepository: MaterialCopyRepository {
    private let copies = Mutex<[String: (unit: UnitOfMeasure, version: Int)]>([:])

    init() {}

    func unit(of code: String, in context: MessageContext) async throws -> UnitOfMeasure? {
        copies.withLock { $0[code.uppercased()]?.unit }
    }

    func keep(_ material: Material, in context: MessageContext) async throws {
        copies.withLock { copies in
            let code = material.code.uppercased()
            if let kept = copies[code], kept.version >= material.version { return }
            copies[code] = (material.unit, material.version)
        }
    }
}
