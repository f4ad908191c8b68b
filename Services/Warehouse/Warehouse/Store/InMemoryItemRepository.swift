import Contracts
import Foundation
import ServiceKit
import Synchronization

/// The item copy in memory, for handler tests: newest version wins, as in PostgreSQL.
final class InMemoryItemRepository: ItemRepository {
    private struct State {
        var items: [String: (item: ItemCopy, version: Int)] = [:]
        var categories: [String: (category: MaterialCategory, version: Int)] = [:]
    }

    private let state = Mutex(State())

    init() {}

    func item(_ code: String, in context: MessageContext) async throws -> ItemCopy? {
        state.withLock { $0.items[code.uppercased()]?.item }
    }

    func keep(
        code: String, kind: ItemKind, name: String, unit: UnitOfMeasure, standardCost: Decimal?, active: Bool, version: Int,
        in context: MessageContext
    ) async throws {
        state.withLock { state in
            let code = code.uppercased()
            if let kept = state.items[code], kept.version >= version { return }
            // The kind of a kept code never changes (the upsert leaves it).
            let item = ItemCopy(code: code, kind: state.items[code]?.item.kind ?? kind, unit: unit, standardCost: standardCost)
            state.items[code] = (item, version)
        }
    }

    func category(of code: String, in context: MessageContext) async throws -> MaterialCategory? {
        state.withLock { $0.categories[code.uppercased()]?.category }
    }

    func keepCategory(of material: Material, in context: MessageContext) async throws {
        state.withLock { state in
            let code = material.code.uppercased()
            if let kept = state.categories[code], kept.version >= material.version { return }
            state.categories[code] = (material.category, material.version)
        }
    }
}
