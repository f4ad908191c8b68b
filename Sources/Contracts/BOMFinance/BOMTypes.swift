import Foundation

public enum BOMStatus: String, Sendable, CaseInsensitiveEnum {
    case draft = "DRAFT"
    case active = "ACTIVE"
    /// Was active; a newer version took over. Kept, since orders may be pinned to it.
    case superseded = "SUPERSEDED"
    case archived = "ARCHIVED"
}

/// One line of a BOM: a material, or another article with its own BOM (a sub-assembly), per unit.
public struct BOMLine: Codable, Sendable, Hashable {
    public var materialCode: String?
    public var articleCode: String?
    public var qtyPerUnit: Decimal
    /// Percent lost in making, 0…100 (`2.5` = 2.5 %).
    public var scrapPercent: Decimal?
    /// Filled in on answers: the material's unit (nil for a sub-assembly, counted in pieces).
    public var unit: UnitOfMeasure?

    public init(
        materialCode: String? = nil, articleCode: String? = nil, qtyPerUnit: Decimal, scrapPercent: Decimal? = nil,
        unit: UnitOfMeasure? = nil
    ) {
        self.materialCode = materialCode
        self.articleCode = articleCode
        self.qtyPerUnit = qtyPerUnit
        self.scrapPercent = scrapPercent
        self.unit = unit
    }

    /// The component's code, whichever kind it is.
    public var componentCode: String { materialCode ?? articleCode ?? "" }
}

/// A version of an article's bill of materials.
public struct BOM: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var articleCode: String
    public var version: Int
    public var status: BOMStatus
    public var lines: [BOMLine]
    public var notes: String?
    public var createdBy: String
    public var createdAt: Date
    public var activatedAt: Date?
    public var supersededAt: Date?
    public var updatedAt: Date
    /// Orders pinned to this version.
    public var pinnedOrders: Int?
    /// With `?explode=true`: every material of every level, per unit, scrap applied.
    public var exploded: [ExplodedMaterial]?

    public init(
        id: UUID, code: String, articleCode: String, version: Int, status: BOMStatus, lines: [BOMLine], notes: String?,
        createdBy: String, createdAt: Date, activatedAt: Date?, supersededAt: Date?, updatedAt: Date,
        pinnedOrders: Int? = nil, exploded: [ExplodedMaterial]? = nil
    ) {
        self.id = id
        self.code = code
        self.articleCode = articleCode
        self.version = version
        self.status = status
        self.lines = lines
        self.notes = notes
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.activatedAt = activatedAt
        self.supersededAt = supersededAt
        self.updatedAt = updatedAt
        self.pinnedOrders = pinnedOrders
        self.exploded = exploded
    }
}

/// One material of an exploded BOM: how much one unit of the article needs, over every level, scrap applied.
public struct ExplodedMaterial: Codable, Sendable, Hashable {
    public var materialCode: String
    public var unit: UnitOfMeasure
    public var qtyPerUnit: Decimal
    public init(materialCode: String, unit: UnitOfMeasure, qtyPerUnit: Decimal) {
        self.materialCode = materialCode
        self.unit = unit
        self.qtyPerUnit = qtyPerUnit
    }
}

/// The BOM rules the gateway and BOMFinance share: bounds of the lines.
public enum BOMRules {
    public static let maxLines = 500
    public static let maxScrapPercent = Decimal(100)

    public static func lineProblems(_ lines: [BOMLine]) -> [FieldError] {
        var problems: [FieldError] = []
        if lines.isEmpty || lines.count > maxLines {
            problems.append(.init(field: "lines", message: "must hold 1 to \(maxLines) lines"))
        }
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index)]"
            switch (line.materialCode, line.articleCode) {
            case (nil, nil), (.some, .some):
                problems.append(.init(field: "\(field).material_code", message: "give exactly one of material_code and article_code"))
            case (let code?, nil):
                if let problem = ItemCode.problem(code, "\(field).material_code") { problems.append(problem) }
            case (nil, let code?):
                if let problem = ItemCode.problem(code, "\(field).article_code") { problems.append(problem) }
            }
            if line.qtyPerUnit.isNaN || line.qtyPerUnit <= 0 || line.qtyPerUnit > DecimalRules.maxQuantity
                || !DecimalRules.fits(line.qtyPerUnit, scale: 6)
            {
                problems.append(.init(field: "\(field).qty_per_unit", message: "must be more than 0 and at most \(DecimalRules.maxQuantity)"))
            }
            if let scrap = line.scrapPercent, scrap.isNaN || scrap < 0 || scrap >= maxScrapPercent || !DecimalRules.fits(scrap, scale: 4) {
                problems.append(.init(field: "\(field).scrap_percent", message: "must be at least 0 and below 100, at most 4 decimals"))
            }
        }
        return problems
    }
}

/// An article's ACTIVE BOM became another version; Production pins new orders to it.
public struct BOMActivated: Event {
    public static let messageType = "bomfinance.bom.activated.v1"
    public var bom: BOM
    public var supersededId: UUID?
    public init(bom: BOM, supersededId: UUID?) {
        self.bom = bom
        self.supersededId = supersededId
    }
}

/// A BOM version was archived. If it was its article's ACTIVE one the article has none now, and
/// Production makes new orders unpinned (orders already pinned to it keep it).
public struct BOMArchived: Event {
    public static let messageType = "bomfinance.bom.archived.v1"
    public var bom: BOM
    public var wasActive: Bool
    public init(bom: BOM, wasActive: Bool) {
        self.bom = bom
        self.wasActive = wasActive
    }
}
