import Contracts

/// Whether an approved material debt may still be issued to its SPK. Pure.
enum DebtIssueRules {
    /// An SPK cancelled or closed since the debt was asked for takes no more material: 422 saying so.
    static func check(_ spk: SPK) throws(ErrorReply) {
        guard spk.status == .cancelled || spk.status == .closed else { return }
        throw .rule(
            "\(spk.code) is \(spk.status.rawValue): no material is issued to it.",
            details: [.init(field: "spk_id", message: "\(spk.code) is \(spk.status.rawValue)")])
    }
}
