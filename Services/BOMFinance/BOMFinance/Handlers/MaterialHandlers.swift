import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// Materials: create, change, cost from a date (re-costing follows from the event), CSV import.
struct MaterialHandlers {
    let settings: BOMFinanceSettings

    func create(_ command: CreateMaterial, _ context: MessageContext) async throws -> Material {
        let actor = try context.require(BOMFinancePermissions.editMasterData, to: "Creating a material")
        if command.standardCost != nil, !actor.hasAny(BOMFinancePermissions.setCost) {
            throw ErrorReply.forbidden("Setting a standard cost needs one of the roles FINANCE, ADMIN.")
        }
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let code = ItemCode.normalized(command.code)
        if try await store.material(code, today: settings.today) != nil { throw ErrorReply.conflict("Material \(code) already exists.") }
        let now = settings.now()
        var material = Material(
            code: code, name: command.name.trimmingCharacters(in: .whitespacesAndNewlines), category: command.category,
            unit: command.unit, standardCost: nil, costEffectiveFrom: nil, active: true, version: 1, updatedAt: now)
        try await store.insert(material)
        if let cost = command.standardCost {
            let from = command.costEffectiveFrom ?? settings.today
            try await store.setCost(
                code,
                CostEntry(
                    cost: cost, effectiveFrom: from, reason: "initial cost", recordedBy: actor.username,
                    recordedAt: now))
            material = try await store.requireMaterial(code, today: settings.today)
        }
        try await context.audit("material", code, "create", before: Material?.none, after: material)
        try await context.publish(MaterialCreated(material: material))
        return material
    }

    func update(_ command: UpdateMaterial, _ context: MessageContext) async throws -> Material {
        _ = try context.require(BOMFinancePermissions.editMasterData, to: "Changing a material")
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let before = try await store.requireMaterial(command.code, today: settings.today, lock: true)
        var material = before
        if let name = command.name { material.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let category = command.category { material.category = category }
        if let active = command.active { material.active = active }
        if let unit = command.unit, unit != material.unit {
            if try await store.isUsed(material: material.code) {
                throw ErrorReply.conflict("\(material.code) is used in BOMs counted in \(material.unit.rawValue); its unit cannot change.")
            }
            material.unit = unit
        }
        guard material != before else { return hideMoney(before, context) }
        material.version += 1
        material.updatedAt = settings.now()
        try await store.update(material)
        try await context.audit("material", material.code, "update", before: before, after: material)
        try await context.publish(MaterialChanged(material: material))
        return hideMoney(material, context)
    }

    func setCost(_ command: SetMaterialCost, _ context: MessageContext) async throws -> MaterialDetail {
        let actor = try context.require(BOMFinancePermissions.setCost, to: "Setting a standard cost")
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let before = try await store.requireMaterial(command.code, today: settings.today, lock: true)
        let previous = EffectiveCost.at(command.effectiveFrom, in: try await store.costHistory(before.code))
        try await store.setCost(
            before.code,
            CostEntry(
                cost: command.cost, effectiveFrom: command.effectiveFrom,
                reason: command.reason.trimmingCharacters(in: .whitespacesAndNewlines),
                recordedBy: actor.username, recordedAt: settings.now()))
        var material = try await store.requireMaterial(before.code, today: settings.today)
        material.version = before.version + 1
        material.updatedAt = settings.now()
        try await store.update(material)
        try await context.audit(
            "material", material.code, "cost \(command.cost) from \(command.effectiveFrom)", before: before,
            after: material)
        try await context.publish(
            MaterialCostChanged(
                material: material, previousCost: previous?.cost,
                effectiveFrom: command.effectiveFrom, reason: command.reason))
        return MaterialDetail(material: material, costHistory: try await store.costHistory(material.code))
    }

    func get(_ query: GetMaterial, _ context: MessageContext) async throws -> Material {
        hideMoney(
            try await ItemStore(connection: context.connection, logger: context.logger)
                .requireMaterial(query.code, today: settings.today), context)
    }

    func detail(_ query: GetMaterialDetail, _ context: MessageContext) async throws -> MaterialDetail {
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let material = try await store.requireMaterial(query.code, today: settings.today)
        guard BOMFinancePermissions.seesMoney(context.actor) else { return MaterialDetail(material: hideMoney(material, context), costHistory: nil) }
        return MaterialDetail(material: material, costHistory: try await store.costHistory(material.code))
    }

    func list(_ query: ListMaterials, _ context: MessageContext) async throws -> Page<Material> {
        try query.page.validate()
        var page = try await ItemStore(connection: context.connection, logger: context.logger).listMaterials(query, today: settings.today)
        page.items = page.items.map { hideMoney($0, context) }
        return page
    }

    /// All or nothing: every row is judged first; one refused row and nothing is written (422 naming
    /// each bad line); otherwise each is created or updated and announced like a single change.
    func importCSV(_ command: ImportMaterials, _ context: MessageContext) async throws -> ImportResult {
        let actor = try context.require(BOMFinancePermissions.editMasterData, to: "Importing materials")
        let (rows, rejections) = MaterialCSV.parse(command.csv)
        var problems = rejections.map { FieldError(field: "line \($0.line)", message: ($0.code.map { "\($0): " } ?? "") + $0.reason) }
        if rows.contains(where: { $0.standardCost != nil }), !actor.hasAny(BOMFinancePermissions.setCost) {
            problems.append(FieldError(field: "standard_cost", message: "setting costs needs one of the roles FINANCE, ADMIN"))
        }
        let store = ItemStore(connection: context.connection, logger: context.logger)
        let today = settings.today
        var existing: [String: Material] = [:]
        for row in rows {
            if let material = try await store.material(row.code, today: today, lock: true) {
                existing[row.code] = material
                if material.unit != row.unit, try await store.isUsed(material: row.code) {
                    problems.append(
                        FieldError(field: "line \(row.line)", message: "\(row.code): unit cannot change from \(material.unit.rawValue), BOMs use it"))
                }
            }
        }
        if !problems.isEmpty {
            throw ErrorReply.rule("Nothing was imported: \(problems.count) line(s) were refused.", details: problems)
        }
        var lines: [ImportResult.Line] = []
        let now = settings.now()
        for row in rows {
            let before = existing[row.code]
            var material =
                before
                ?? Material(
                    code: row.code, name: row.name, category: row.category, unit: row.unit, standardCost: nil,
                    costEffectiveFrom: nil, active: true, version: 0, updatedAt: now)
            material.name = row.name
            material.category = row.category
            material.unit = row.unit
            let costChanges = row.standardCost != nil && row.standardCost != before?.standardCost
            let changed = before == nil || material != before! || costChanges
            guard changed else {
                lines.append(.init(line: row.line, code: row.code, outcome: "UNCHANGED", reason: nil))
                continue
            }
            material.version += 1
            material.updatedAt = now
            if before == nil { try await store.insert(material) } else { try await store.update(material) }
            if let cost = row.standardCost, costChanges {
                try await store.setCost(
                    row.code,
                    CostEntry(
                        cost: cost, effectiveFrom: row.effectiveFrom ?? today, reason: "CSV import",
                        recordedBy: actor.username, recordedAt: now))
            }
            let after = try await store.requireMaterial(row.code, today: today)
            try await context.audit("material", row.code, before == nil ? "import create" : "import update", before: before, after: after)
            if before == nil {
                try await context.publish(MaterialCreated(material: after))
            } else {
                try await context.publish(MaterialChanged(material: after))
            }
            if costChanges {
                try await context.publish(
                    MaterialCostChanged(
                        material: after, previousCost: before?.standardCost,
                        effectiveFrom: row.effectiveFrom ?? today, reason: "CSV import"))
            }
            lines.append(.init(line: row.line, code: row.code, outcome: before == nil ? "CREATED" : "UPDATED", reason: nil))
        }
        return ImportResult(applied: lines)
    }

    /// Money is for FINANCE, MANAGER, ADMIN (and services); others see the material without its cost.
    func hideMoney(_ material: Material, _ context: MessageContext) -> Material {
        guard !BOMFinancePermissions.seesMoney(context.actor) else { return material }
        var hidden = material
        hidden.standardCost = nil
        return hidden
    }
}
