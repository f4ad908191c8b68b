import Contracts
import Foundation
import Messaging
import ServiceKit

/// Warehouse: locations, the movement ledger and balances, material to the line and material debt,
/// finished-goods cartons, shipments and customer returns. Owns schema `warehouse`.
public enum WarehouseService {
    public static func definition(
        environment: ServiceEnvironment, settings: WarehouseSettings = WarehouseSettings(),
        repositories: WarehouseRepositories = .postgres
    ) -> ServiceDefinition {
        let all = WarehouseHandlers(settings: settings, repositories: repositories)
        let (inventory, issues, debts, cartons, gate, hold) = (all.inventory, all.issues, all.debts, all.cartons, all.gate, all.hold)
        var handlers = HandlerRegistry()
        handlers.today = { LocalDate.of(environment.now(), in: settings.timeZone) }
        handlers.handle(CreateLocation.self, inventory.createLocation)
        handlers.handle(ListLocations.self, inventory.locations)
        handlers.handle(PostMovement.self, inventory.postMovement)
        handlers.handle(ListBalances.self, inventory.balances)
        handlers.handle(ListMovements.self, inventory.movements)
        handlers.handle(IssueMaterial.self, issues.issue)
        handlers.handle(ListWarehouseDebts.self, debts.list)
        handlers.handle(RegisterCarton.self, cartons.register)
        handlers.handle(ScanCarton.self, cartons.scan)
        handlers.handle(GetCarton.self, cartons.get)
        handlers.handle(ShipCartons.self, cartons.ship)
        handlers.handle(GetDeliveryNote.self, cartons.deliveryNote)
        handlers.handle(ReceiveCustomerReturn.self, cartons.receiveReturn)
        // Items as BOMFinance owns them.
        handlers.on(MaterialCreated.self) { event, context in try await inventory.keep(event.material, context) }
        handlers.on(MaterialChanged.self) { event, context in try await inventory.keep(event.material, context) }
        handlers.on(MaterialCostChanged.self) { event, context in try await inventory.keep(event.material, context) }
        handlers.on(ArticleCreated.self) { event, context in try await inventory.keep(event.article, context) }
        handlers.on(ArticleChanged.self) { event, context in try await inventory.keep(event.article, context) }
        handlers.on(ApprovalApproved.self, debts.approved)
        handlers.on(InspectionOpened.self, gate.opened)
        handlers.on(InspectionPassed.self, gate.passed)
        handlers.on(InspectionFailed.self, gate.failed)
        handlers.on(IncomingInspectionPassed.self, hold.passed)
        handlers.on(IncomingInspectionFailed.self, hold.failed)
        handlers.on(NCRDecided.self, all.ncr.decided)
        return ServiceDefinition(
            name: ServiceName.warehouse.rawValue, environment: environment, migrations: WarehouseMigrations.all, handlers: handlers,
            opsCommands: ["verify": LedgerVerification.command, "seed": WarehouseSeed.command])
    }
}
