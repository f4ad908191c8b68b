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

    /// Rows to skip. Never traps, even for a page that was not validated: out-of-range values are
    /// clamped (a page past the end is simply empty).
    public var offset: Int {
        let (skipped, overflow) = (min(max(page, 1), InputRules.pages.upperBound) - 1)
            .multipliedReportingOverflow(by: min(max(perPage, 1), Self.maxPerPage))
        return overflow ? Int.max : skipped
    }

    /// `page` 1…1,000,000 and `per_page` 1…500, named as the query parameters.
    public var problems: [FieldError] {
        [InputRules.check(page, "page", in: InputRules.pages), InputRules.check(perPage, "per_page", in: 1...Self.maxPerPage)]
            .compactMap { $0 }
    }

    public func validate() throws(ErrorReply) {
        if !problems.isEmpty { throw .validation(problems) }
    }
}
