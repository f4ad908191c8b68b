import Foundation

/// Where a manufacturing order stands, derived from its SPKs.
public enum OrderStatus: String, Sendable, CaseInsensitiveEnum {
    /// No stage has reported anything yet.
    case planned = "PLANNED"
    case inProgress = "IN_PROGRESS"
    /// The last stage is completed or closed.
    case completed = "COMPLETED"
    /// Every stage was cancelled.
    case cancelled = "CANCELLED"
}

/// An order to make `qty` of an article, carried out as one SPK per stage of its route.
public struct ManufacturingOrder: Codable, Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var articleCode: String
    public var qty: Int
    public var startDate: LocalDate
    public var dueDate: LocalDate
    public var stages: [Stage]
    public var status: OrderStatus
    /// Good output of the last stage, in percent of the order's quantity.
    public var progress: Double
    /// Good output of the last stage: what the order has really finished.
    public var finishedQty: Int
    public var notes: String?
    public var createdBy: String
    public var createdAt: Date
    /// The stages' SPKs in route order (left out in lists).
    public var spks: [SPK]?
    /// The article's ACTIVE BOM version when the order was made: the order is pinned to it. Nil when the
    /// article had none then (`bom_note` says so).
    public var bomId: UUID?
    public var bomCode: String?
    public var bomVersion: Int?
    public var bomNote: String?
    /// Pieces the warehouse confirmed into finished goods for this order (its confirmed cartons).
    public var finishedInWarehouse: Int?

    public init(
        id: UUID, code: String, articleCode: String, qty: Int, startDate: LocalDate, dueDate: LocalDate,
        stages: [Stage], status: OrderStatus, progress: Double, finishedQty: Int, notes: String?, createdBy: String,
        createdAt: Date, spks: [SPK]?, bom: BOMReference? = nil, bomNote: String? = nil
    ) {
        bomId = bom?.id
        bomCode = bom?.code
        bomVersion = bom?.version
        self.bomNote = bomNote
        self.id = id
        self.code = code
        self.articleCode = articleCode
        self.qty = qty
        self.startDate = startDate
        self.dueDate = dueDate
        self.stages = stages
        self.status = status
        self.progress = progress
        self.finishedQty = finishedQty
        self.notes = notes
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.spks = spks
    }
}

/// `POST /api/v1/production/orders` `{article_code, qty, start_date, due_date, stages?, notes?}`
public struct CreateOrder: Command {
    public static let messageType = "production.order.create.v1"
    public static let owner = ServiceName.production
    public typealias Reply = ManufacturingOrder

    public var articleCode: String
    public var qty: Int
    public var startDate: LocalDate
    public var dueDate: LocalDate
    /// A shortened route, in route order; nil = the article's route (from BOMFinance), else the default route.
    public var stages: [Stage]?
    public var notes: String?

    public init(
        articleCode: String, qty: Int, startDate: LocalDate, dueDate: LocalDate, stages: [Stage]? = nil,
        notes: String? = nil
    ) {
        self.articleCode = articleCode
        self.qty = qty
        self.startDate = startDate
        self.dueDate = dueDate
        self.stages = stages
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey { case articleCode, qty, startDate, dueDate, stages, notes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        articleCode = try container.decode(String.self, forKey: .articleCode)
        qty = try container.decodeWholeNumber(forKey: .qty)
        startDate = try container.decode(LocalDate.self, forKey: .startDate)
        dueDate = try container.decode(LocalDate.self, forKey: .dueDate)
        stages = try container.decodeIfPresent([Stage].self, forKey: .stages)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
    }
}

/// `GET /api/v1/production/orders`
public struct ListOrders: Query {
    public static let messageType = "production.order.list.v1"
    public static let owner = ServiceName.production
    public typealias Reply = Page<ManufacturingOrder>
    public var status: OrderStatus?
    public var articleCode: String?
    public var page: PageRequest
    public init(status: OrderStatus? = nil, articleCode: String? = nil, page: PageRequest = PageRequest()) {
        self.status = status
        self.articleCode = articleCode
        self.page = page
    }
}

/// `GET /api/v1/production/orders/{id}`: the order with its SPKs; `order` is the id or the code.
public struct GetOrder: Query {
    public static let messageType = "production.order.get.v1"
    public static let owner = ServiceName.production
    public typealias Reply = ManufacturingOrder
    public var order: String
    public init(order: String) { self.order = order }
}
