/// Everything the warehouse keeps, handed to its handlers by construction: PostgreSQL in a running service,
/// memory in a unit test.
public struct WarehouseRepositories: Sendable {
    let items: any ItemRepository
    let ledger: any LedgerRepository
    let cartons: any CartonRepository
    let debts: any DebtRepository
    let lots: any InspectionLotRepository
    let heldReceipts: any HeldReceiptRepository

    public static var postgres: WarehouseRepositories {
        WarehouseRepositories(
            items: PostgresItemRepository(), ledger: PostgresLedgerRepository(), cartons: PostgresCartonRepository(),
            debts: PostgresDebtRepository(), lots: PostgresInspectionLotRepository(),
            heldReceipts: PostgresHeldReceiptRepository())
    }

    static func inMemory() -> WarehouseRepositories {
        let items = InMemoryItemRepository()
        return WarehouseRepositories(
            items: items, ledger: InMemoryLedgerRepository(items: items), cartons: InMemoryCartonRepository(),
            debts: InMemoryDebtRepository(), lots: InMemoryInspectionLotRepository(),
            heldReceipts: InMemoryHeldReceiptRepository())
    }
}
