/// Who may do what in Production — one list each, used by the gateway's route checks and by
/// Production's own rules.
public enum ProductionPermissions {
    public static let createSPK: [Role] = [.ppicManager, .productionManager, .manager, .admin]
    /// May record input (staff only for their own department's SPKs).
    public static let record: [Role] = [.productionStaff, .productionSupervisor, .productionManager, .manager, .admin]
    /// May record input for any department's SPKs.
    public static let recordAnyDepartment: [Role] = [.productionSupervisor, .productionManager, .manager, .admin]
    public static let holdOrResume: [Role] = [.productionSupervisor, .productionManager, .ppicManager, .manager, .admin]
    public static let cancelOrClose: [Role] = [.productionManager, .ppicManager, .manager, .admin]
    public static let voidEntry: [Role] = [.productionSupervisor, .productionManager, .manager, .admin]
}
