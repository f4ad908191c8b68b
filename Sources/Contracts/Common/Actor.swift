/// Who caused a message: the user the gateway authenticated, carried on every command and event
/// so that each service can check permissions and write its audit trail without asking anyone.
public struct Actor: Codable, Sendable, Hashable {
    public var userId: String
    public var username: String
    public var roles: [String]
    public var department: String?

    public init(userId: String, username: String, roles: [String], department: String? = nil) {
        self.userId = userId
        self.username = username
        self.roles = roles
        self.department = department
    }

    /// The actor for work a service does on its own (relays, schedulers, rebuilds).
    public static func system(_ service: String) -> Actor {
        Actor(userId: "system:\(service)", username: service, roles: ["SYSTEM"])
    }
}
