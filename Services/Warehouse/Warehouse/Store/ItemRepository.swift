import Contracts
import Foundation
import ServiceKit

/// The warehouse's copy of BOMFinance's items (materials with their category, articles): newest version wins.
protocol ItemRepository: Sendable {
    /// By code, in any case; nil when no copy is kept.
    func item(_ code: String, in context: MessageContext) async throws -> ItemCopy?
    /// Keeps the item unless a newer version is kept already.
    func keep(
        code: String, kind: ItemKind, name: String, unit: UnitOfMeasure, standardCost: Decimal?, active: Bool, version: Int,
        in context: MessageContext) async throws
    /// The category BOMFinance gave a material; nil when never told.
    func category(of code: String, in context: MessageContext) async throws -> MaterialCategory?
    func keepCategory(of material: Material, in context: MessageContext) async throws
}

extension ItemRepository {
    func keep(_ material: Material, in context: MessageContext) async throws {
        try await keep(
            code: material.code, kind: .material, name: material.name, unit: material.unit, standardCost: material.standardCost,
            active: material.active, version: material.version, in: context)
        try await keepCategory(of: material, in: context)
    }

    func keep(_ article: Article, in context: MessageContext) async throws {
        try await keep(
            code: article.code, kind: .article, name: article.name, unit: .pcs, standardCost: nil, active: article.active,
            version: article.version, in: context)
    }
}
