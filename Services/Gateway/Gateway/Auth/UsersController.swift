import Contracts
import Foundation
import Hummingbird

/// `/api/v1/users`: listing (ADMIN, MANAGER) and creating (ADMIN) users.
struct UsersController: Sendable {
    let users: UserStore
    let hasher: PasswordHasher

    struct NewUser: Codable, Sendable {
        var username: String
        var password: String
        var fullName: String
        var roles: [String]
        var department: String?
    }

    func register(on routes: APIRoutes) {
        routes.add(.get, "", "List users", access: .roles([.admin, .manager]), query: PageQuery.self, reply: Listed<User>.self) {
            Listed(try await users.list(page: $0.query.pageRequest))
        }
        routes.add(
            .post, "", "Create a user (roles and department from the lists of roles and departments)", access: .roles([.admin]),
            body: NewUser.self, reply: User.self, status: .created
        ) { try await create($0) }
    }

    func create(_ call: Call<NoQuery, NewUser>) async throws -> User {
        let actor = try call.user()
        var body = call.body
        body.roles = body.roles.map { $0.uppercased() }
        body.department = body.department?.uppercased()
        let username = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        var problems: [FieldError] = []
        if username.range(of: #"^[a-z0-9_.-]{3,40}$"#, options: .regularExpression) == nil {
            problems.append(.init(field: "username", message: "must be 3 to 40 letters, digits, _ . or -"))
        }
        problems += PasswordPolicy.problems(body.password).map { FieldError(field: "password", message: $0) }
        if body.fullName.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "full_name", message: "is required"))
        }
        if body.roles.isEmpty { problems.append(.init(field: "roles", message: "must name at least one role")) }
        for role in body.roles where Role(rawValue: role) == nil {
            problems.append(
                .init(field: "roles", message: "\(role) is not a role; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if let department = body.department, Department(rawValue: department) == nil {
            problems.append(
                .init(field: "department", message: "must be one of \(Department.allCases.map(\.rawValue).joined(separator: ", ")) or absent"))
        }
        if !problems.isEmpty { throw ErrorReply.validation(problems) }
        let user = User(
            id: UUID(), username: username, fullName: body.fullName, roles: body.roles, department: body.department,
            active: true, createdAt: Date())
        guard let created = try await users.create(user, passwordHash: await hasher.hash(body.password), by: actor) else {
            throw ErrorReply.conflict("The user name \(username) is taken.")
        }
        return created
    }
}
