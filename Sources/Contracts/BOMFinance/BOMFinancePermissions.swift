import Foundation

/// Who may do what in BOMFinance — used by the gateway's route checks and by BOMFinance's own rules.
public enum BOMFinancePermissions {
    /// Edit materials, articles and BOMs.
    public static let editMasterData: [Role] = [.admin, .ppicManager, .finance]
    /// See money: standard costs, costing breakdowns, order variance.
    public static let readMoney: [Role] = [.finance, .manager, .admin]
    /// Set a material's standard cost: editors who may also see money.
    public static let setCost: [Role] = [.finance, .admin]

    /// Whether `actor` may see money (a service asking for itself may).
    public static func seesMoney(_ actor: Actor?) -> Bool {
        guard let actor else { return false }
        return actor.hasAny(readMoney) || actor.roles.contains("SYSTEM")
    }
}

/// Codes of materials, articles and BOMs: 1…40 of A–Z, 0–9, `-`, `_`, `.` (stored upper-cased).
public enum ItemCode {
    public static let maxLength = 40

    public static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).uppercased()
    }

    /// What `problem` accepts, as the API document states it (it also trims and upper-cases).
    public static let pattern = "^[A-Za-z0-9_.-]{1,\(maxLength)}$"

    public static func problem(_ text: String, _ field: String) -> FieldError? {
        BoundsRecorder.current?.record(field, pattern: pattern)
        let code = normalized(text)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        if code.isEmpty || code.count > maxLength || !code.allSatisfy(allowed.contains) {
            return FieldError(field: field, message: "must be 1 to \(maxLength) of A-Z, 0-9, '-', '_', '.'")
        }
        return nil
    }
}

extension String {
    /// Trimmed; nil when nothing is left.
    var nonBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
