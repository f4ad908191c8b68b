import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

struct User: Codable, Sendable, Hashable {
    var id: UUID
    var username: String
    var fullName: String
    var roles: [String]
    var department: String?
    var active: Bool
    var createdAt: Date
}

/// The gateway's own tables: users, failed logins, refresh tokens.
struct UserStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    private static let columns = "id, username, full_name, roles, department, active, created_at"

    func find(username: String) async throws -> (user: User, passwordHash: String)? {
        let rows = try await client.rows(
            """
            SELECT id, username, full_name, roles, department, active, created_at, password_hash FROM users
            WHERE username = \(username.lowercased())
            """, logger: logger)
        for (id, name, fullName, roles, department, active, createdAt, hash) in try rows.map({
            try $0.decode((UUID, String, String, [String], String?, Bool, Date, String).self)
        }) {
            return (
                User(
                    id: id, username: name, fullName: fullName, roles: roles, department: department, active: active,
                    createdAt: createdAt), hash
            )
        }
        return nil
    }

    func find(id: UUID) async throws -> User? {
        let rows = try await client.rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.columns) FROM users WHERE id = $1",
                binds: try binds(id)), logger: logger)
        for row in rows { return try Self.user(row) }
        return nil
    }

    func list(page: PageRequest) async throws -> Page<User> {
        var total = 0
        for count in try await client.rows("SELECT count(*)::bigint FROM users", logger: logger).map({ try $0.decode(Int.self) }) {
            total = count
        }
        let rows = try await client.rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.columns) FROM users ORDER BY username LIMIT $1 OFFSET $2",
                binds: try binds(page.perPage, page.offset)), logger: logger)
        var users: [User] = []
        for row in rows { users.append(try Self.user(row)) }
        return Page(items: users, page: page.page, perPage: page.perPage, total: total)
    }

    /// Creates a user; nil if the user name is taken.
    func create(_ user: User, passwordHash: String, by actor: Actor?) async throws -> User? {
        try await client.transaction(logger: logger) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO users (id, username, full_name, password_hash, roles, department)
                VALUES (\(user.id), \(user.username.lowercased()), \(user.fullName), \(passwordHash), \(user.roles), \(user.department))
                ON CONFLICT (username) DO NOTHING RETURNING 1
                """, logger: logger)
            var created = false
            for try await _ in inserted { created = true }
            guard created else { return nil }
            try await AuditLog(connection: connection, logger: logger).record(
                entity: "user", id: user.id.uuidString, action: "create", actor: actor ?? .system("gateway"),
                correlationId: nil, before: User?.none, after: user)
            return user
        }
    }

    // MARK: Failed logins

    /// Seconds sign-ins as `username` from `address` stay locked, or nil.
    func lockedFor(username: String, address: String) async throws -> Int? {
        let rows = try await client.rows(
            """
            SELECT ceil(extract(epoch FROM locked_until - now()))::bigint FROM login_failures
            WHERE username = \(username.lowercased()) AND client_address = \(address) AND locked_until > now()
            """, logger: logger)
        for seconds in try rows.map({ try $0.decode(Int.self) }) { return seconds }
        return nil
    }

    func recordFailure(username: String, address: String, maxFailures: Int, lockout: Duration) async throws {
        let seconds = Int(lockout.components.seconds)
        try await client.rows(
            """
            INSERT INTO login_failures (username, client_address, failures) VALUES (\(username.lowercased()), \(address), 1)
            ON CONFLICT (username, client_address) DO UPDATE SET
                failures = CASE WHEN login_failures.failures + 1 >= \(maxFailures) THEN 0 ELSE login_failures.failures + 1 END,
                locked_until = CASE WHEN login_failures.failures + 1 >= \(maxFailures)
                                    THEN now() + make_interval(secs => \(seconds)) ELSE login_failures.locked_until END,
                last_failed_at = now()
            """, logger: logger)
    }

    func clearFailures(username: String, address: String) async throws {
        try await client.rows(
            """
            DELETE FROM login_failures WHERE username = \(username.lowercased()) AND client_address = \(address)
            """, logger: logger)
    }

    // MARK: Refresh tokens

    /// Stores a refresh token of `family`; it expires after `lifetime` or when its family does, whichever is first.
    func storeRefreshToken(hash: String, user: UUID, family: UUID, lifetime: Duration, familyExpires: Date) async throws {
        let seconds = Int(lifetime.components.seconds)
        try await client.rows(
            """
            INSERT INTO refresh_tokens (token_hash, user_id, family, expires_at, family_expires_at)
            VALUES (\(hash), \(user), \(family), LEAST(now() + make_interval(secs => \(seconds)), \(familyExpires)), \(familyExpires))
            """, logger: logger)
    }

    enum RefreshOutcome {
        case valid(user: UUID, family: UUID, familyExpires: Date)
        case reused(family: UUID)
        case invalid
    }

    /// Revokes the token as it is used. A token used a second time revokes its whole family.
    func consumeRefreshToken(hash: String) async throws -> RefreshOutcome {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT user_id, family, family_expires_at, revoked_at IS NOT NULL, least(expires_at, family_expires_at) < now()
                FROM refresh_tokens
                WHERE token_hash = \(hash) FOR UPDATE
                """, logger: logger)
            for try await (user, family, familyExpires, revoked, expired) in rows.decode((UUID, UUID, Date, Bool, Bool).self) {
                if revoked {
                    try await connection.query(
                        "UPDATE refresh_tokens SET revoked_at = now() WHERE family = \(family) AND revoked_at IS NULL",
                        logger: logger)
                    return .reused(family: family)
                }
                try await connection.query("UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = \(hash)", logger: logger)
                return expired ? .invalid : .valid(user: user, family: family, familyExpires: familyExpires)
            }
            return .invalid
        }
    }

    // MARK: Housekeeping

    /// Deletes at most `limit` rows of each table that nothing needs any more: failure counts a day
    /// after their last failure (and not locking), refresh tokens a day after they expired (kept that
    /// long so a stolen copy presented late is still recognised). Returns how many rows went.
    func deleteStale(limit: Int) async throws -> Int {
        var deleted = 0
        for sql in [
            "DELETE FROM login_failures WHERE (username, client_address) IN (SELECT username, client_address FROM login_failures WHERE last_failed_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now()) LIMIT $1) RETURNING 1",
            "DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM refresh_tokens WHERE expires_at < now() - interval '1 day' LIMIT $1) RETURNING 1",
        ] {
            let rows = try await client.rows(PostgresQuery(unsafeSQL: sql, binds: try binds(limit)), logger: logger)
            deleted += rows.count
        }
        return deleted
    }

    func revokeFamily(ofTokenHash hash: String) async throws {
        try await client.rows(
            """
            UPDATE refresh_tokens SET revoked_at = now()
            WHERE family = (SELECT family FROM refresh_tokens WHERE token_hash = \(hash)) AND revoked_at IS NULL
            """, logger: logger)
    }

    func revokeAll(of user: UUID) async throws {
        try await client.rows(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = \(user) AND revoked_at IS NULL",
            logger: logger)
    }

    private func binds(_ values: any PostgresEncodable & Sendable...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { try binds.append(value) }
        return binds
    }

    private static func user(_ row: PostgresRow) throws -> User {
        let (id, name, fullName, roles, department, active, createdAt) =
            try row.decode((UUID, String, String, [String], String?, Bool, Date).self)
        return User(
            id: id, username: name, fullName: fullName, roles: roles, department: department, active: active,
            createdAt: createdAt)
    }
}
