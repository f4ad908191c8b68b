import Contracts
import ServiceKit

/// Approval's copy of BOMFinance's materials: the unit a debt is counted in. Newest version wins.
protocol MaterialCopyRepository: Sendable {
    /// The unit of the material `code` (any case); nil when no copy is kept.
    func unit(of code: String, in context: MessageContext) async throws -> UnitOfMeasure?
    /// Keeps `material` unless a newer version is kept already.
    func keep(_ material: Material, in context: MessageContext) async throws
}
