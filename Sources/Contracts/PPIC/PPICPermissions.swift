/// Who may read the planners' reports — used by the gateway's route checks and by PPIC's own handlers.
public enum PPICPermissions {
    public static let read: [Role] = [.ppicManager, .ppicStaff, .manager, .admin]
}
