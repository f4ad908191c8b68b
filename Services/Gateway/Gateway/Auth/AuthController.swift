import Contracts
import Foundation
import Hummingbird
import Logging

/// `/api/v1/auth`: login, refresh (rotating), logout, me.
struct AuthController: Sendable {
    let users: UserStore
    let tokens: TokenService
    let hasher: PasswordHasher
    let settings: GatewaySettings
    let clients: ClientAddress
    /// A real hash to compare against when the user does not exist, so that takes as long as a wrong password.
    let decoyHash: String

    struct LoginBody: Codable, Sendable, BoundedInput {
        var username: String
        var password: String
        var inputProblems: [FieldError] {
            [InputRules.requiredText(username, field: "username"), password.isEmpty ? FieldError(field: "password", message: "is required") : nil]
                .compactMap { $0 }
        }
    }
    struct RefreshBody: Codable, Sendable { var refreshToken: String }
    struct TokenPair: Codable, Sendable {
        var accessToken: String
        var refreshToken: String
        var tokenType = "bearer"
        /// Seconds until the access token expires.
        var expiresIn: Int
    }
    struct Me: Codable, Sendable {
        var id: UUID
        var username: String
        var fullName: String
        var roles: [String]
        var department: String?
    }

    func register(on routes: APIRoutes) {
        routes.add(
            .post, "login", "Sign in; returns an access and a refresh token", access: .anyone, body: LoginBody.self,
            reply: TokenPair.self
        ) { try await login($0) }
        routes.add(
            .post, "refresh", "Trade a refresh token for new tokens (the old one stops working)", access: .anyone,
            body: RefreshBody.self, reply: TokenPair.self
        ) { try await refresh($0) }
        routes.add(
            .post, "logout", "Revoke a refresh token's session; without a body, every session of the signed-in user",
            access: .anyone, body: RefreshBody?.self, reply: Accepted.self
        ) { try await logout($0) }
        routes.add(.get, "me", "The signed-in user", access: .signedIn(), reply: Me.self) { try await me($0) }
    }

    func login(_ call: Call<NoQuery, LoginBody>) async throws -> TokenPair {
        let (body, request, context) = (call.body, call.request, call.context)
        let username = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        guard !username.isEmpty, !body.password.isEmpty else {
            throw ErrorReply.validation([FieldError(field: username.isEmpty ? "username" : "password", message: "is required")])
        }
        // Counted per user name and client address: a stranger guessing cannot lock the real user out.
        let address = clients.of(request, context)
        if let seconds = try await users.lockedFor(username: username, address: address) {
            throw ErrorReply(.tooManyAttempts, "Too many failed sign-ins for \(username); try again in \(max(1, seconds / 60)) minute(s).")
        }
        let found = try await users.find(username: username)
        let matches = await hasher.verify(body.password, hash: found?.passwordHash ?? decoyHash)
        guard let found, matches, found.user.active else {
            try await users.recordFailure(
                username: username, address: address, maxFailures: settings.maxFailedLogins,
                lockout: settings.lockout)
            context.logger.notice("failed sign-in for \(username) from \(address)")
            throw ErrorReply(.unauthorized, "Wrong user name or password.")
        }
        try await users.clearFailures(username: username, address: address)
        let familyExpires = Date().addingTimeInterval(Double(settings.refreshFamilyLifetime.components.seconds))
        return try await issueTokens(for: found.user, family: UUID(), familyExpires: familyExpires)
    }

    func refresh(_ call: Call<NoQuery, RefreshBody>) async throws -> TokenPair {
        switch try await users.consumeRefreshToken(hash: TokenService.hash(call.body.refreshToken)) {
        case .valid(let userId, let family, let familyExpires):
            guard let user = try await users.find(id: userId), user.active else {
                throw ErrorReply(.unauthorized, "The account is no longer active.")
            }
            return try await issueTokens(for: user, family: family, familyExpires: familyExpires)
        case .reused:
            call.context.logger.warning("a refresh token was used twice; its session was revoked")
            throw ErrorReply(.unauthorized, "This refresh token was already used; sign in again.")
        case .invalid:
            throw ErrorReply(.unauthorized, "The refresh token is invalid or has expired.")
        }
    }

    /// Revokes the given refresh token's session; without a body, every session of the signed-in user.
    func logout(_ call: Call<NoQuery, RefreshBody?>) async throws -> Accepted {
        if let body = call.body {
            try await users.revokeFamily(ofTokenHash: TokenService.hash(body.refreshToken))
        } else {
            let actor = try call.user()
            guard let id = UUID(uuidString: actor.userId) else { throw ErrorReply(.unauthorized, "Unknown user.") }
            try await users.revokeAll(of: id)
        }
        return Accepted()
    }

    func me(_ call: Call<NoQuery, NoBody>) async throws -> Me {
        let actor = try call.user()
        guard let id = UUID(uuidString: actor.userId), let user = try await users.find(id: id) else {
            throw ErrorReply(.unauthorized, "The account no longer exists.")
        }
        return Me(id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, department: user.department)
    }

    /// A new access token and the next refresh token of `family`, which ends at `familyExpires` however often it is refreshed.
    private func issueTokens(for user: User, family: UUID, familyExpires: Date) async throws -> TokenPair {
        let refresh = TokenService.newRefreshToken()
        try await users.storeRefreshToken(
            hash: refresh.hash, user: user.id, family: family, lifetime: settings.refreshTokenLifetime,
            familyExpires: familyExpires)
        return TokenPair(
            accessToken: try await tokens.accessToken(for: user), refreshToken: refresh.token,
            expiresIn: Int(settings.accessTokenLifetime.components.seconds))
    }
}
