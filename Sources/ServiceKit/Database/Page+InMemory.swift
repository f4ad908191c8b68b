import Contracts

extension Page {
    /// The page `request` asks for of `all` (already filtered and in order), as `LIMIT`/`OFFSET` would
    /// cut it: for in-memory repositories, which must page like their PostgreSQL twins.
    public init(slicing all: [Item], _ request: PageRequest) {
        let start = min(request.offset, all.count)
        self.init(items: Array(all[start...].prefix(request.perPage)), page: request.page, perPage: request.perPage, total: all.count)
    }
}
