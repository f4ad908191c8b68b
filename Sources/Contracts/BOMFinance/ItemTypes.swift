import Foundation

/// The units materials are counted in, and how many decimals a quantity in each may carry.
/// Quantities are `Decimal` (exact), never floating point.
public enum UnitOfMeasure: String, Sendable, CaseInsensitiveEnum {
    case pcs = "PCS"
    case set = "SET"
    case pair = "PAIR"
    case cone = "CONE"
    case roll = "ROLL"
    case m = "M"
    case yd = "YD"
    case kg = "KG"
    case g = "G"

    /// Decimals a quantity in this unit may have: counted things are whole, lengths to the
    /// millimetre (and a thousandth of a yard), weights to the gram (and a hundredth of a gram).
    public var scale: Int {
        switch self {
        case .pcs, .set, .pair, .cone, .roll: 0
        case .m, .yd, .kg: 3
        case .g: 2
        }
    }
}

/// What kind of material it is; reports and the warehouse group by it.
public enum MaterialCategory: String, Sendable, CaseInsensitiveEnum {
    case fabric = "FABRIC"
    case filling = "FILLING"
    case thread = "THREAD"
    case accessory = "ACCESSORY"
    case label = "LABEL"
    case packaging = "PACKAGING"
    case other = "OTHER"
}

/// A material as BOMFinance owns it. `standardCost` is per one `unit`, in the factory's currency,
/// as it is today (its history stays in BOMFinance); nil until a cost was set.
public struct Material: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var category: MaterialCategory
    public var unit: UnitOfMeasure
    public var standardCost: Decimal?
    public var costEffectiveFrom: LocalDate?
    public var active: Bool
    /// Rises by one with every change; a reader keeps the newest it saw.
    public var version: Int
    public var updatedAt: Date

    public init(
        code: String, name: String, category: MaterialCategory, unit: UnitOfMeasure, standardCost: Decimal?,
        costEffectiveFrom: LocalDate?, active: Bool, version: Int, updatedAt: Date
    ) {
        self.code = code
        self.name = name
        self.category = category
        self.unit = unit
        self.standardCost = standardCost
        self.costEffectiveFrom = costEffectiveFrom
        self.active = active
        self.version = version
        self.updatedAt = updatedAt
    }
}

/// Labour one unit of an article takes at one stage.
public struct StageMinutes: Codable, Sendable, Hashable {
    public var stage: Stage
    public var minutes: Decimal
    public init(stage: Stage, minutes: Decimal) {
        self.stage = stage
        self.minutes = minutes
    }
}

/// An article (what the factory sells) as BOMFinance owns it. `route` is its stages in order.
public struct Article: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var customer: String?
    public var route: [Stage]
    public var labourMinutes: [StageMinutes]
    public var active: Bool
    /// Rises by one with every change; a reader keeps the newest it saw.
    public var version: Int
    public var updatedAt: Date

    public init(
        code: String, name: String, customer: String?, route: [Stage], labourMinutes: [StageMinutes], active: Bool,
        version: Int, updatedAt: Date
    ) {
        self.code = code
        self.name = name
        self.customer = customer
        self.route = route
        self.labourMinutes = labourMinutes
        self.active = active
        self.version = version
        self.updatedAt = updatedAt
    }
}
