import Contracts
import Foundation
import ServiceKit

/// An article as Production plans orders for it: its route and ACTIVE BOM, as BOMFinance announced them.
struct ArticlePlanCopy: Sendable, Equatable {
    var route: [Stage]?
    var bom: BOMReference?
}

/// Production's copy of BOMFinance's articles (route) and their ACTIVE BOM versions, kept from events: each
/// write keeps only what is newer than what it holds, so events may come late or twice. Works in the message's
/// unit of work, as `SPKRepository` does.
protocol ArticlePlanRepository: Sendable {
    /// The copy of `article` (its code as BOMFinance spells it), nil if never heard of.
    func plan(_ article: String, in context: MessageContext) async throws -> ArticlePlanCopy?
    /// The article's route, newest version wins.
    func keep(_ article: Article, in context: MessageContext) async throws
    /// The article's ACTIVE BOM, the latest activation wins.
    func keep(_ bom: BOMReference, of article: String, activatedAt: Date, in context: MessageContext) async throws
    /// Drops the pin to `bom` (archived at `at`); an activation older than that cannot bring it back.
    func forget(_ bom: UUID, of article: String, at: Date, in context: MessageContext) async throws
}
