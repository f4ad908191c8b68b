import Contracts
import Foundation

/// The first administrator of a deployment that seeds no demo users: with `STITCH_ADMIN_PASSWORD` set,
/// the gateway creates `admin` (ADMIN) at start when no user of that name exists, and never changes an
/// existing one — so the password can be rotated through the API without the setting undoing it. The
/// administrator then creates everybody else (`POST /api/v1/users`). Safe with several gateways starting
/// at once: the name is unique, so only one insert wins.
enum InitialAdmin {
    static let username = "admin"

    /// Creates `admin` with `password` unless a user of that name exists; true if it created it.
    @discardableResult
    static func ensure(_ users: UserStore, hasher: PasswordHasher, password: String) async throws -> Bool {
        guard try await users.find(username: username) == nil else { return false }
        let admin = User(
            id: UUID(), username: username, fullName: "Administrator", roles: [Role.admin.rawValue],
            department: nil, active: true, createdAt: Date())
        return try await users.create(admin, passwordHash: await hasher.hash(password), by: nil) != nil
    }
}
