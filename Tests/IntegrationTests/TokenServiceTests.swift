import Contracts
import Foundation
import Testing

@testable import Gateway

/// A client sends the same access token with every request; the gateway checks it once and remembers
/// the answer, but never past the token's expiry and never for a token that did not check out.
@Suite struct TokenServiceTests {
    static let user = User(
        id: UUID(), username: "staff_sewing", fullName: "Staff", roles: ["LINE_STAFF"], department: "SEWING",
        active: true, createdAt: Date())

    @Test func aRememberedTokenStillExpires() async throws {
        let tokens = await TokenService(secret: String(repeating: "s", count: 32), accessLifetime: .seconds(1))
        let token = try await tokens.accessToken(for: Self.user)
        #expect(await tokens.verify(token)?.username == "staff_sewing")
        #expect(await tokens.verify(token)?.roles == ["LINE_STAFF"], "answered from memory, the same actor")
        try await Task.sleep(for: .milliseconds(2_100))
        #expect(await tokens.verify(token) == nil, "expired, remembered or not")
    }

    @Test func aForgedOrAlteredTokenIsNeverRemembered() async throws {
        let tokens = await TokenService(secret: String(repeating: "s", count: 32), accessLifetime: .seconds(600))
        let other = await TokenService(secret: String(repeating: "x", count: 32), accessLifetime: .seconds(600))
        let forged = try await other.accessToken(for: Self.user)
        #expect(await tokens.verify(forged) == nil)
        #expect(await tokens.verify(forged) == nil)
        let token = try await tokens.accessToken(for: Self.user)
        #expect(await tokens.verify(token) != nil)
        #expect(await tokens.verify(String(token.dropLast())) == nil, "a changed signature is checked anew")
    }
}
