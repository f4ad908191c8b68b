import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// BOM versions: DRAFT → ACTIVE → SUPERSEDED, ARCHIVED. An ACTIVE version never changes; a cycle is refused.
struct BOMHandlers {
    let settings: BOMFinanceSettings

    func create(_ command: CreateBOM, _ context: MessageContext) async throws -> BOM {
        let actor = try context.require(BOMFinancePermissions.editMasterData, to: "Creating a BOM")
        let items = ItemStore(connection: context.connection, logger: context.logger)
        let store = BOMStore(connection: context.connection, logger: context.logger)
        let article = try await items.article(command.articleCode, lock: true)
        guard let article else {
            throw ErrorReply.rule(
                "Article \(ItemCode.normalized(command.articleCode)) does not exist.",
                details: [FieldError(field: "article_code", message: "is not a known article")])
        }
        let lines = try await checked(command.lines, for: article.code, context)
        let version = try await store.nextVersion(of: article.code)
        let now = settings.now()
        let bom = BOM(
            id: UUID(), code: Self.code(article.code, version), articleCode: article.code, version: version, status: .draft,
            lines: lines, notes: command.notes, createdBy: actor.username, createdAt: now, activatedAt: nil,
            supersededAt: nil, updatedAt: now, pinnedOrders: 0)
        try await insert(bom, store)
        try await context.audit("bom", bom.code, "create", before: BOM?.none, after: bom)
        return bom
    }

    func update(_ command: UpdateBOM, _ context: MessageContext) async throws -> BOM {
        _ = try context.require(BOMFinancePermissions.editMasterData, to: "Changing a BOM")
        let store = BOMStore(connection: context.connection, logger: context.logger)
        let before = try await store.require(command.bom, lock: true)
        guard before.status == .draft else {
            throw ErrorReply.conflict(
                "\(before.code) is \(before.status.rawValue) and cannot change; create a new version (POST /api/v1/bom/\(before.code)/new-version) and change that."
            )
        }
        var bom = before
        if let lines = command.lines { bom.lines = try await checked(lines, for: bom.articleCode, context) }
        if let notes = command.notes { bom.notes = notes }
        bom.updatedAt = settings.now()
        try await store.update(bom)
        try await context.audit("bom", bom.code, "update", before: before, after: bom)
        return bom
    }

    func change(_ command: ChangeBOM, _ context: MessageContext) async throws -> BOM {
        let actor = try context.require(BOMFinancePermissions.editMasterData, to: "Changing a BOM")
        let store = BOMStore(connection: context.connection, logger: context.logger)
        let before = try await store.require(command.bom, lock: true)
        let now = settings.now()
        switch command.action {
        case .newVersion:
            _ = try await ItemStore(connection: context.connection, logger: context.logger).article(before.articleCode, lock: true)
            let version = try await store.nextVersion(of: before.articleCode)
            let bom = BOM(
                id: UUID(), code: Self.code(before.articleCode, version), articleCode: before.articleCode, version: version,
                status: .draft, lines: before.lines, notes: before.notes, createdBy: actor.username, createdAt: now,
                activatedAt: nil, supersededAt: nil, updatedAt: now, pinnedOrders: 0)
            try await insert(bom, store)
            try await context.audit("bom", bom.code, "new version of \(before.code)", before: before, after: bom)
            return bom
        case .activate:
            return try await activate(before, store: store, now: now, context)
        case .delete:
            if before.status == .draft {
                try await store.delete(before)
                try await context.audit("bom", before.code, "delete draft", before: before, after: BOM?.none)
                var deleted = before
                deleted.status = .archived
                return deleted
            }
            guard before.status != .archived else { return before }
            var bom = before
            bom.status = .archived
            if before.status == .active { bom.supersededAt = now }
            bom.updatedAt = now
            try await store.update(bom)
            try await context.audit("bom", bom.code, "archive", before: before, after: bom)
            try await context.publish(BOMArchived(bom: bom, wasActive: before.status == .active))
            if before.status == .active {
                try await Recosting(settings: settings).recost(articles: [bom.articleCode], cause: "bom:\(bom.code)", context)
            }
            return bom
        }
    }

    private func activate(_ before: BOM, store: BOMStore, now: Date, _ context: MessageContext) async throws -> BOM {
        guard before.status != .active else { return before }
        guard before.status == .draft || before.status == .superseded else {
            throw ErrorReply.conflict("\(before.code) is \(before.status.rawValue); only a DRAFT or SUPERSEDED version can be activated.")
        }
        _ = try await checked(before.lines, for: before.articleCode, context, activating: true)
        let previous = try await store.active(of: before.articleCode, lock: true)
        if var previous {
            let old = previous
            previous.status = .superseded
            previous.supersededAt = now
            previous.updatedAt = now
            try await store.update(previous)
            try await context.audit("bom", previous.code, "superseded by \(before.code)", before: old, after: previous)
        }
        var bom = before
        bom.status = .active
        bom.activatedAt = now
        bom.supersededAt = nil
        bom.updatedAt = now
        try await store.update(bom)
        try await context.audit("bom", bom.code, "activate", before: before, after: bom)
        try await context.publish(BOMActivated(bom: bom, supersededId: previous?.id))
        try await Recosting(settings: settings).recost(articles: [bom.articleCode], cause: "bom:\(bom.code)", context)
        return bom
    }

    func get(_ query: GetBOM, _ context: MessageContext) async throws -> BOM {
        let store = BOMStore(connection: context.connection, logger: context.logger)
        var bom = try await store.require(query.bom)
        bom.lines = try await withUnits(bom.lines, context)
        if query.explode {
            let graph = try await store.graph(below: bom.articleCode, rootLines: bom.lines, at: settings.now())
            let codes = Set(graph.values.flatMap { $0.compactMap(\.materialCode) })
            let units = try await ItemStore(connection: context.connection, logger: context.logger).units(of: Array(codes))
            do {
                bom.exploded = try BOMGraph(lines: graph, units: units).explode(bom.articleCode)
            } catch {
                throw Self.refusal(error)
            }
        }
        return bom
    }

    func list(_ query: ListBOMs, _ context: MessageContext) async throws -> Page<BOM> {
        try query.page.validate()
        return try await BOMStore(connection: context.connection, logger: context.logger).list(query)
    }

    static func code(_ article: String, _ version: Int) -> String { String(format: "BOM-%@-%03d", article, version) }

    private func insert(_ bom: BOM, _ store: BOMStore) async throws {
        do {
            try await store.insert(bom)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw ErrorReply.conflict("Another version of \(bom.articleCode) was created at the same moment; try again.")
        }
    }

    /// Lines normalised and checked against what exists: materials and articles known, a material's quantity
    /// no finer than its unit, no line naming the BOM's own article, no cycle through other BOMs. On activation
    /// every sub-assembly must have an ACTIVE BOM.
    private func checked(_ lines: [BOMLine], for article: String, _ context: MessageContext, activating: Bool = false)
        async throws -> [BOMLine]
    {
        let items = ItemStore(connection: context.connection, logger: context.logger)
        let normalized = lines.map {
            BOMLine(
                materialCode: $0.materialCode.map(ItemCode.normalized), articleCode: $0.articleCode.map(ItemCode.normalized),
                qtyPerUnit: $0.qtyPerUnit, scrapPercent: $0.scrapPercent)
        }
        let units = try await items.units(of: normalized.compactMap(\.materialCode))
        let articles = try await items.articles(normalized.compactMap(\.articleCode))
        var problems: [FieldError] = []
        var seen: Set<String> = []
        let boms = BOMStore(connection: context.connection, logger: context.logger)
        for (index, line) in normalized.enumerated() {
            let field = "lines[\(index)]"
            if !seen.insert((line.materialCode.map { "M:" + $0 } ?? "A:" + (line.articleCode ?? ""))).inserted {
                problems.append(.init(field: field, message: "names \(line.componentCode) twice"))
            }
            if let code = line.materialCode {
                guard let unit = units[code] else {
                    problems.append(.init(field: "\(field).material_code", message: "\(code) is not a known material"))
                    continue
                }
                if let problem = DecimalRules.checkQuantity(
                    line.qtyPerUnit, "\(field).qty_per_unit", unit: unit,
                    in: 0...DecimalRules.maxQuantity)
                {
                    // Per-unit quantities may be finer than a counted unit allows (2 buttons per 3 toys is not), but
                    // never finer than the unit's precision plus three places.
                    if !DecimalRules.fits(line.qtyPerUnit, scale: unit.scale + 3) { problems.append(problem) }
                }
            } else if let code = line.articleCode {
                if code == article {
                    problems.append(.init(field: "\(field).article_code", message: "a BOM cannot contain its own article (\(article) → \(article))"))
                } else if articles[code] == nil {
                    problems.append(.init(field: "\(field).article_code", message: "\(code) is not a known article"))
                } else if activating, try await boms.active(of: code) == nil {
                    problems.append(.init(field: "\(field).article_code", message: "sub-assembly \(code) has no ACTIVE BOM yet"))
                }
            }
        }
        if !problems.isEmpty { throw ErrorReply.rule("The BOM's lines are not valid.", details: problems) }
        let graph = try await boms.graph(below: article, rootLines: normalized, at: Date.distantFuture)
        if let cycle = BOMGraph(lines: graph, units: units).cycle(from: article) {
            throw ErrorReply.rule(
                "The BOM would contain itself: \(cycle.joined(separator: " → ")).",
                details: [FieldError(field: "lines", message: "cycle \(cycle.joined(separator: " → "))")])
        }
        return normalized
    }

    private func withUnits(_ lines: [BOMLine], _ context: MessageContext) async throws -> [BOMLine] {
        let units = try await ItemStore(connection: context.connection, logger: context.logger).units(of: lines.compactMap(\.materialCode))
        return lines.map {
            var line = $0
            line.unit = $0.materialCode.flatMap { units[$0] }
            return line
        }
    }

    static func refusal(_ error: BOMGraph.ExplosionError) -> ErrorReply {
        switch error {
        case .cycle(let path): ErrorReply.rule("The BOM contains itself: \(path.joined(separator: " → ")).")
        case .noBOM(let code): ErrorReply.rule("Sub-assembly \(code) has no ACTIVE BOM, so it cannot be exploded.")
        case .unknownMaterial(let code): ErrorReply.rule("Material \(code) is not known.")
        }
    }
}
