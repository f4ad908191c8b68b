import Contracts
import Foundation
import Messaging
import ServiceKit

/// Quality: defect codes and the line's defects, final (AQL) inspections that gate cartons, NCRs.
/// Owns schema `quality`.
public enum QualityService {
    public static func definition(environment: ServiceEnvironment, settings: QualitySettings = QualitySettings()) -> ServiceDefinition {
        var clocked = settings
        clocked.now = environment.now
        let settings = clocked
        var handlers = HandlerRegistry()
        handlers.today = { LocalDate.of(settings.now(), in: settings.timeZone) }
        let defects = DefectHandlers(settings: settings)
        handlers.handle(SaveDefectCode.self, defects.save)
        handlers.handle(ListDefectCodes.self, defects.list)
        handlers.handle(GetDefectPareto.self, defects.pareto)
        handlers.on(DailyInputRecorded.self, defects.inputRecorded)
        // Every line's every entry: a batch of them is one statement.
        handlers.onBatch(DailyInputRecorded.self, group: "line-entries", defects.inputsRecorded)
        handlers.on(DailyInputVoided.self, defects.inputVoided)
        let inspections = InspectionHandlers(settings: settings)
        handlers.handle(OpenInspection.self, inspections.open)
        handlers.handle(RecordInspectionResult.self, inspections.result)
        handlers.handle(GetInspection.self, inspections.get)
        handlers.handle(ReinspectLot.self, inspections.reinspect)
        let ncrs = NCRHandlers(settings: settings)
        handlers.handle(OpenNCR.self, ncrs.open)
        handlers.handle(DecideNCR.self, ncrs.decide)
        handlers.handle(GetNCR.self, ncrs.get)
        handlers.handle(ListNCRs.self, ncrs.list)
        handlers.on(NCRStockDisposed.self, ncrs.stockDisposed)
        let incoming = IncomingHandlers(settings: settings)
        handlers.on(MaterialReceiptHeld.self, incoming.held)
        handlers.handle(ListIncomingInspections.self, incoming.list)
        handlers.handle(RecordIncomingResult.self, incoming.result)
        handlers.on(InspectionStockRefused.self, incoming.stockRefused)
        let timers = QualityTimers(settings: settings)
        return ServiceDefinition(
            name: ServiceName.quality.rawValue, environment: environment, migrations: QualityMigrations.all, handlers: handlers,
            background: [{ client, _, logger, monitor in await timers.run(client: client, logger: logger, monitor: monitor) }])
    }
}
