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

    struct LoginBody: Decodable { var username: String; var password: String }
    struct RefreshBody: Decodable { var refreshToken: String }
    struct TokenPair: Encodable { var accessToken: String; var refreshToken: String; var tokenType = "bearer"; var expiresIn: Int }
    struct Me: Encodable { var id: UUID; var username: String; var fullName: String; var roles: [String]; var department: String? }

    func register(on group: RouterGroup<GatewayContext>) {
        group.post("login", use: login)
        group.post("refresh", use: refresh)
        group.post("logout", use: logout)
        group.get("me", use: me)
    }

    func login(_ request: Request, context: GatewayContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginBody.self)
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
            try await users.recordFailure(username: username, address: address, maxFailures: settings.maxFailedLogins,
                                          lockout: settings.lockout)
            context.logger.notice("failed sign-in for \(username) from \(address)")
            throw ErrorReply(.unauthorized, "Wrong user name or password.")
        }
        try await users.clearFailures(username: username, address: address)
        let familyExpires = Date().addingTimeInterval(Double(settings.refreshFamilyLifetime.components.seconds))
        return try JSONResponses.data(try await issueTokens(for: found.user, family: UUID(), familyExpires: familyExpires))
    }

    func refresh(_ request: Request, context: GatewayContext) async throws -> Response {
        let body = try await request.decodeJSON(RefreshBody.self)
        switch try await users.consumeRefreshToken(hash: TokenService.hash(body.refreshToken)) {
        case .valid(let userId, let family, let familyExpires):
            guard let user = try await users.find(id: userId), user.active else {
                throw ErrorReply(.unauthorized, "The account is no longer active.")
            }
            return try JSONResponses.data(try await issueTokens(for: user, family: family, familyExpires: familyExpires))
        case .reused:
            context.logger.warning("a refresh token was used twice; its session was revoked")
            throw ErrorReply(.unauthorized, "This refresh token was already used; sign in again.")
        case .invalid:
            throw ErrorReply(.unauthorized, "The refresh token is invalid or has expired.")
        }
    }

    /// Revokes the given refresh token's session; without a body, every session of the signed-in user.
    func logout(_ request: Request, context: GatewayContext) async throws -> Response {
        if request.headers[.contentLength] == "0" || (request.headers[.contentLength] == nil && request.headers[.contentType] == nil) {
            let actor = try context.requireActor()
            guard let id = UUID(uuidString: actor.userId) else { throw ErrorReply(.unauthorized, "Unknown user.") }
            try await users.revokeAll(of: id)
        } else {
            let body = try await request.decodeJSON(RefreshBody.self)
            try await users.revokeFamily(ofTokenHash: TokenService.hash(body.refreshToken))
        }
        return try JSONResponses.data(Accepted())
    }

    func me(_ request: Request, context: GatewayContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let id = UUID(uuidString: actor.userId), let user = try await users.find(id: id) else {
            throw ErrorReply(.unauthorized, "The account no longer exists.")
        }
        return try JSONResponses.data(Me(id: user.id, username: user.username, fullName: user.fullName, roles: user.roles,
                                         department: user.department))
    }

    /// A new access token and the next refresh token of `family`, which ends at `familyExpires` however often it is refreshed.
    private func issueTokens(for user: User, family: UUID, familyExpires: Date) async throws -> TokenPair {
        let refresh = TokenService.newRefreshToken()
        try await users.storeRefreshToken(hash: refresh.hash, user: user.id, family: family, lifetime: settings.refreshTokenLifetime,
                                          familyExpires: familyExpires)
        return TokenPair(accessToken: try await tokens.accessToken(for: user), refreshToken: refresh.token,
                         expiresIn: Int(settings.accessTokenLifetime.components.seconds))
    }
}
