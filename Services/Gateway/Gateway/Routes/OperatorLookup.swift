import Contracts
import Foundation

/// Daily input names its operator by user id or user name; the gateway owns users, so it looks
/// them up and hands Production what it found (nil: no such user — Production refuses the entry).
struct OperatorLookup: Sendable {
    let users: UserStore

    func resolve(_ reference: String?) async throws -> OperatorRef? {
        guard let reference = reference?.trimmingCharacters(in: .whitespaces), !reference.isEmpty, reference.count <= 100 else {
            return nil
        }
        let user = if let id = UUID(uuidString: reference) { try await users.find(id: id) } else { try await users.find(username: reference)?.user }
        return user.map { OperatorRef(id: $0.id, username: $0.username, department: $0.department, active: $0.active) }
    }
}
