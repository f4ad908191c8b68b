/// Every handler of the warehouse, wired to one set of repositories: what `WarehouseService` registers and a
/// unit test calls.
struct WarehouseHandlers {
    let inventory: InventoryHandlers
    let issues: IssueHandlers
    let debts: DebtHandlers
    let cartons: CartonHandlers
    let gate: QualityGate
    let hold: ReceiptHold
    let ncr: NCRDisposition

    init(settings: WarehouseSettings, repositories: WarehouseRepositories) {
        hold = ReceiptHold(inspectOnReceipt: settings.inspectOnReceipt, repositories: repositories)
        debts = DebtHandlers(repositories: repositories)
        inventory = InventoryHandlers(repositories: repositories, hold: hold, debts: debts)
        issues = IssueHandlers(repositories: repositories)
        gate = QualityGate(repositories: repositories)
        cartons = CartonHandlers(settings: settings, repositories: repositories, gate: gate)
        ncr = NCRDisposition(repositories: repositories, gate: gate)
    }
}
