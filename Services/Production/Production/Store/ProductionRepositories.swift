/// Where Production's handlers keep their records, handed to them by construction: PostgreSQL in a running
/// service, in memory in a unit test.
public struct ProductionRepositories: Sendable {
    var spks: any SPKRepository
    var inputs: any DailyInputRepository
    var orders: any OrderRepository
    var articles: any ArticlePlanRepository
    var defects: any DefectCodeRepository

    /// Schema `production`, on each message's transaction.
    public static var postgres: ProductionRepositories {
        ProductionRepositories(
            spks: PostgresSPKRepository(), inputs: PostgresDailyInputRepository(), orders: PostgresOrderRepository(),
            articles: PostgresArticlePlanRepository(), defects: PostgresDefectCodeRepository())
    }
}

extension ProductionRepositories {
    /// Empty, in memory: for running the handlers in a unit test, without a database.
    public static func inMemory() -> ProductionRepositories {
        let spks = InMemorySPKRepository()
        return ProductionRepositories(
            spks: spks, inputs: InMemoryDailyInputRepository(spks: spks), orders: InMemoryOrderRepository(spks: spks),
            articles: InMemoryArticlePlanRepository(), defects: InMemoryDefectCodeRepository())
    }
}
