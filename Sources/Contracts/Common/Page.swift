/// One page of a list; the gateway answers `{"data": items, "meta": {page, per_page, total}}`.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int

    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }
}

/// Which page a caller wants: `page` from 1, `per_page` 1…500 (default 50).
public struct PageRequest: Codable, Sendable, Hashable {
    public var page: Int
    public var perPage: Int

    public static let defaultPerPage = 50
    public static let maxPerPage = 500

    public init(page: Int = 1, perPage: Int = PageRequest.defaultPerPage) {
        self.page = page
        self.perPage = perPage
    }

    public var offset: Int { (page - 1) * perPage }

    public func validate() throws(ErrorReply) {
        var problems: [FieldError] = []
        if page < 1 { problems.append(FieldError(field: "page", message: "must be 1 or more")) }
        if !(1...Self.maxPerPage).contains(perPage) {
            problems.append(FieldError(field: "per_page", message: "must be between 1 and \(Self.maxPerPage)"))
        }
        if !problems.isEmpty { throw .validation(problems) }
    }
}
