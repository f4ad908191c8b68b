import Contracts
import Foundation

/// Development users that `./scripts/run` seeds (`STITCH_SEED_DEMO=true`); listed in the README.
enum DemoUsers {
    struct Demo {
        var username: String
        var password: String
        var fullName: String
        var roles: [Role]
        var department: Department?
    }

    static let all: [Demo] = [
        Demo(username: "admin", password: "admin-dev-123", fullName: "System Administrator", roles: [.admin], department: nil),
        Demo(username: "manager", password: "manager-dev-123", fullName: "Factory Manager", roles: [.manager], department: nil),
        Demo(username: "ppic", password: "ppic-dev-123", fullName: "PPIC Planner", roles: [.ppicManager], department: nil),
        Demo(username: "prod_manager", password: "prodmgr-dev-123", fullName: "Production Manager", roles: [.productionManager], department: nil),
        Demo(username: "finance", password: "finance-dev-123", fullName: "Cost Accountant", roles: [.finance], department: nil),
        Demo(username: "wh_manager", password: "whmgr-dev-123", fullName: "Warehouse Manager", roles: [.warehouseManager], department: nil),
        Demo(username: "qc", password: "qc-dev-123", fullName: "QC Inspector", roles: [.qcInspector], department: nil),
        Demo(username: "spv_sewing", password: "spv-dev-123", fullName: "Sewing Supervisor", roles: [.productionSupervisor], department: .sewing),
        Demo(username: "staff_sewing", password: "staff-dev-123", fullName: "Sewing Line Staff", roles: [.productionStaff], department: .sewing),
        Demo(username: "staff_cutting", password: "staff-dev-123", fullName: "Cutting Line Staff", roles: [.productionStaff], department: .cutting),
    ]

    /// Creates the demo users that do not exist yet.
    static func seed(_ users: UserStore, hasher: PasswordHasher) async throws {
        for demo in all where try await users.find(username: demo.username) == nil {
            let user = User(
                id: UUID(), username: demo.username, fullName: demo.fullName, roles: demo.roles.map(\.rawValue),
                department: demo.department?.rawValue, active: true, createdAt: Date())
            _ = try await users.create(user, passwordHash: await hasher.hash(demo.password), by: nil)
        }
    }
}
