/// Who may do what in Production — one list each, used by the gateway's route checks and by
/// Production's own rules.
public enum ProductionPermissions {
    public static let createSPK: [Role] = [.ppicManager, .productionManager, .manager, .admin]
    /// May record input (staff and supervisors only for their own department's SPKs: `reaches`).
    public static let record: [Role] = [.productionStaff, .productionSupervisor, .productionManager, .manager, .admin]
    public static let holdOrResume: [Role] = [.productionSupervisor, .productionManager, .ppicManager, .manager, .admin]
    public static let cancelOrClose: [Role] = [.productionManager, .ppicManager, .manager, .admin]
    public static let voidEntry: [Role] = [.productionSupervisor, .productionManager, .manager, .admin]

    /// Roles whose reach is the whole factory. Everyone else — supervisors and line staff — acts only
    /// on SPKs of their own department: a SEWING supervisor does not hold, resume or void CUTTING's work.
    public static let factoryWide: [Role] = [.productionManager, .ppicManager, .manager, .admin]

    /// Whether `actor` may act on work of `department` (given they hold a role for the action at all).
    public static func reaches(_ actor: Actor, _ department: Department) -> Bool {
        actor.hasAny(factoryWide) || actor.department == department.rawValue
    }
}
