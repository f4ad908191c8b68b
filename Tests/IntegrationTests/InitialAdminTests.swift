import Foundation
import ServiceKit
import Testing

@testable import Gateway

/// A deployment without demo users gets its first administrator from STITCH_ADMIN_PASSWORD, once.
@Suite struct InitialAdminTests {
    @Test("STITCH_ADMIN_PASSWORD creates admin (ADMIN) once and never overwrites it; a short one is refused")
    func firstAdministrator() async throws {
        try await withTestDatabase(migrations: GatewayMigrations.all) { client, _ in
            let users = UserStore(client: client, logger: TestEnvironment.logger)
            let hasher = PasswordHasher(cost: 4)
            // Two gateways starting at once: exactly one creates the administrator.
            async let first = InitialAdmin.ensure(users, hasher: hasher, password: "first-password-123")
            async let second = InitialAdmin.ensure(users, hasher: hasher, password: "second-password-456")
            let outcomes = try await [first, second]
            #expect(outcomes.filter { $0 }.count == 1)
            let created = try #require(try await users.find(username: "admin"))
            #expect(created.user.roles == ["ADMIN"] && created.user.active)
            let password = outcomes[0] ? "first-password-123" : "second-password-456"
            #expect(await hasher.verify(password, hash: created.passwordHash))
            // A restart with another value changes nothing: the password is the administrator's to rotate.
            #expect(try await InitialAdmin.ensure(users, hasher: hasher, password: "another-password-789") == false)
            let kept = try #require(try await users.find(username: "admin"))
            #expect(kept.user.id == created.user.id && kept.passwordHash == created.passwordHash)
        }
        #expect(throws: ConfigurationError.self) {
            try GatewaySettings(environment: EnvironmentReader(["STITCH_ENV": "development", "STITCH_ADMIN_PASSWORD": "short"]))
        }
        let settings = try GatewaySettings(environment: EnvironmentReader(["STITCH_ENV": "development"]))
        #expect(settings.initialAdminPassword == nil)
    }
}
