import Contracts
import Foundation
import ServiceKit

/// Posting to the ledger: every balance a set of movements touches is locked (in one order, so two
/// transactions never wait on each other crosswise), stock is checked, the movements are appended and
/// the balances follow — all in the handler's transaction.
struct Ledger {
    struct Key: Hashable, Comparable {
        var item: String
        var location: String
        static func < (a: Key, b: Key) -> Bool { (a.item, a.location) < (b.item, b.location) }
    }

    let store: any LedgerRepository
    let context: MessageContext

    init(_ store: any LedgerRepository, _ context: MessageContext) {
        self.store = store
        self.context = context
    }

    /// Locks and reads the balances of `keys`.
    func lock(_ keys: some Sequence<Key>) async throws -> [Key: Decimal] {
        var balances: [Key: Decimal] = [:]
        for key in Set(keys).sorted() { balances[key] = try await store.lockBalance(item: key.item, location: key.location, in: context) }
        return balances
    }

    /// Posts `moves` in order; a movement that would take more than its source holds (beyond
    /// `allowance`, approved debt) fails them all with 422.
    func post(_ moves: [NewMovement], allowance: [Key: Decimal] = [:]) async throws -> [Movement] {
        var keys: [Key] = []
        for move in moves {
            if let from = move.from { keys.append(Key(item: move.item.code, location: from)) }
            if let to = move.to { keys.append(Key(item: move.item.code, location: to)) }
        }
        var balances = try await lock(keys)
        for move in moves {
            if let from = move.from {
                let key = Key(item: move.item.code, location: from)
                balances[key] = try StockRules.take(
                    move.qty, from: balances[key] ?? 0, debtAllowance: allowance[key] ?? 0,
                    item: move.item.code, location: from)
            }
            if let to = move.to { balances[Key(item: move.item.code, location: to), default: 0] += move.qty }
        }
        var posted: [Movement] = []
        for move in moves {
            posted.append(try await store.append(move, actor: context.actor, in: context))
            if let from = move.from { try await store.addToBalance(item: move.item.code, location: from, delta: -move.qty, in: context) }
            if let to = move.to { try await store.addToBalance(item: move.item.code, location: to, delta: move.qty, in: context) }
        }
        return posted
    }
}

/// Items the warehouse meets: its copy first, else BOMFinance is asked once and the answer kept
/// (`copyOrAsk`'s rule). BOMFinance not answering is a 503 (try again); an item it does not know is a 422 naming `field`.
struct Items {
    let store: any ItemRepository
    let context: MessageContext

    init(_ store: any ItemRepository, _ context: MessageContext) {
        self.store = store
        self.context = context
    }

    func require(_ code: String, kind: ItemKind? = nil, field: String) async throws -> ItemCopy {
        let code = code.trimmingCharacters(in: .whitespaces).uppercased()
        let local = { try await store.item(code, in: context) }
        // Either kind when the caller does not say which: the material is asked for first.
        var item = try await local()
        if item == nil, kind != .article {
            item = try await context.copyOrAsk(local, ask: GetMaterial(code: code), keep: { try await store.keep($0, in: context) })
        }
        if item == nil, kind != .material {
            item = try await context.copyOrAsk(local, ask: GetArticle(code: code), keep: { try await store.keep($0, in: context) })
        }
        guard let item else { throw ErrorReply.unknown(kind?.rawValue.lowercased() ?? "item", code, owner: .bomfinance, field: field) }
        if let kind, item.kind != kind {
            throw ErrorReply.rule(
                "\(code) is not a \(kind.rawValue.lowercased()).",
                details: [.init(field: field, message: "\(code) is not a \(kind.rawValue.lowercased())")])
        }
        return item
    }
}
