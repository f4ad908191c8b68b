/// The roles of Stitch's users. A user has one or more, and a department (or none).
public enum Role: String, Sendable, CaseInsensitiveEnum {
    case admin = "ADMIN"
    case manager = "MANAGER"
    case ppicManager = "PPIC_MANAGER"
    case ppicStaff = "PPIC_STAFF"
    case productionManager = "PRODUCTION_MANAGER"
    case productionSupervisor = "PRODUCTION_SPV"
    case productionStaff = "PRODUCTION_STAFF"
    case warehouseManager = "WAREHOUSE_MANAGER"
    case warehouseStaff = "WAREHOUSE_STAFF"
    case finance = "FINANCE"
    case qcInspector = "QC_INSPECTOR"
}

/// The production departments, one per stage.
public enum Department: String, Sendable, CaseInsensitiveEnum {
    case cutting = "CUTTING"
    case embroidery = "EMBROIDERY"
    case sewing = "SEWING"
    case finishing = "FINISHING"
    case packing = "PACKING"
}

extension Actor {
    public func has(_ role: Role) -> Bool { roles.contains(role.rawValue) }
    public func hasAny(_ wanted: [Role]) -> Bool { wanted.contains { has($0) } }
}
