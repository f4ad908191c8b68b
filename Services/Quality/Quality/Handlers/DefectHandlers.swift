import Contracts
import Foundation
import Messaging
import ServiceKit

/// Defect codes (edited by QC and managers, announced to Production), the line's defects as
/// Production's events tell them, and their Pareto.
struct DefectHandlers {
    let settings: QualitySettings

    /// A code: 2–40 of A–Z, 0–9 and `_`, upper-cased.
    static func normalizedCode(_ text: String) -> String? {
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...40).contains(code.count), code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        return code
    }

    func save(_ command: SaveDefectCode, _ context: MessageContext) async throws -> DefectCode {
        _ = try context.require(QualityPermissions.editCodes, to: "Editing defect codes")
        var problems: [FieldError] = []
        let code = Self.normalizedCode(command.code)
        if code == nil { problems.append(.init(field: "code", message: "must be 2 to 40 of A-Z, 0-9 and _")) }
        let name = command.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 { problems.append(.init(field: "name", message: "must be 1 to 200 characters")) }
        guard let code, problems.isEmpty else { throw ErrorReply.validation(problems) }
        let store = QualityStore(connection: context.connection, logger: context.logger)
        let before = try await store.code(code, lock: true)
        let saved = DefectCode(
            code: code, stage: command.stage, name: name, severity: command.severity,
            active: command.active ?? before?.active ?? true, version: (before?.version ?? 0) + 1, updatedAt: settings.now())
        if let before, before.stage == saved.stage, before.name == saved.name, before.severity == saved.severity, before.active == saved.active {
            return before  // nothing changed: no new version, no event
        }
        try await store.save(saved)
        try await context.publish(DefectCodeSaved(defectCode: saved))
        try await context.audit("defect_code", code, before == nil ? "create" : "update", before: before, after: saved)
        return saved
    }

    func list(_ query: ListDefectCodes, _ context: MessageContext) async throws -> Page<DefectCode> {
        _ = try context.require(Role.allCases, to: "Reading defect codes", servicesPass: true)
        return try await QualityStore(connection: context.connection, logger: context.logger)
            .listCodes(stage: query.stage, active: query.active, page: query.page)
    }

    func pareto(_ query: GetDefectPareto, _ context: MessageContext) async throws -> DefectPareto {
        _ = try context.require(Role.allCases, to: "Reading defects", servicesPass: true)
        if let from = query.from, let to = query.to, from > to {
            throw ErrorReply.validation([.init(field: "from", message: "must not be after to")])
        }
        return try await QualityStore(connection: context.connection, logger: context.logger).pareto(query)
    }

    func inputRecorded(_ event: DailyInputRecorded, _ context: MessageContext) async throws {
        try await QualityStore(connection: context.connection, logger: context.logger).recordEntry(event)
    }

    func inputsRecorded(_ events: [BatchedEvent], _ context: MessageContext) async throws {
        try await QualityStore(connection: context.connection, logger: context.logger)
            .recordEntries(events.compactMap { $0.payload as? DailyInputRecorded })
    }

    func inputVoided(_ event: DailyInputVoided, _ context: MessageContext) async throws {
        try await QualityStore(connection: context.connection, logger: context.logger).voidEntry(event.entryId)
    }
}
