import Contracts
import Foundation
import Messaging
import ServiceKit

/// Production: SPKs (work orders), daily input, progress. Owns schema `production`.
public enum ProductionService {
    /// `repositories` are where the handlers keep their records: PostgreSQL in a running service; a unit test
    /// gives `.inMemory()` and runs the handlers without a database.
    public static func definition(
        environment: ServiceEnvironment, policy: ProductionPolicy = ProductionPolicy(),
        repositories: ProductionRepositories = .postgres
    ) -> ServiceDefinition {
        let articles = ArticlePlanHandlers(articles: repositories.articles)
        let spks = SPKHandlers(policy: policy, spks: repositories.spks, inputs: repositories.inputs, articles: articles)
        let inputs = DailyInputHandlers(
            policy: policy, spks: repositories.spks, inputs: repositories.inputs, defects: repositories.defects)
        var handlers = HandlerRegistry()
        handlers.today = { policy.today(at: environment.now()) }
        handlers.handle(CreateSPK.self, spks.create)
        handlers.handle(ListSPKs.self, spks.list)
        handlers.handle(GetSPK.self, spks.get)
        handlers.handle(GetSPKProgress.self, spks.progress)
        handlers.handle(ListMySPKs.self, spks.mine)
        // The hottest command: every line posts it, phones replay backlogs; copies waiting together share a commit.
        handlers.handleBatch(RecordDailyInput.self, inputs.record)
        handlers.handle(RecordMobileBatch.self, inputs.recordBatch)
        let lifecycle = LifecycleHandlers(spks: repositories.spks, inputs: repositories.inputs)
        handlers.handle(ChangeSPKStatus.self, lifecycle.changeStatus)
        handlers.handle(VoidDailyInput.self, lifecycle.voidEntry)
        handlers.on(ApprovalApproved.self, TargetChangeHandlers(spks: repositories.spks).approved)
        let orders = OrderHandlers(policy: policy, orders: repositories.orders, spks: repositories.spks, articles: articles)
        handlers.handle(CreateOrder.self, orders.create)
        handlers.handle(ListOrders.self, orders.list)
        handlers.handle(GetOrder.self, orders.get)
        handlers.on(ArticleCreated.self, articles.articleCreated)
        handlers.on(ArticleChanged.self, articles.articleChanged)
        handlers.on(BOMActivated.self, articles.bomActivated)
        handlers.on(BOMArchived.self, articles.bomArchived)
        handlers.on(CartonConfirmed.self, orders.cartonConfirmed)
        handlers.on(DefectCodeSaved.self) { event, context in try await repositories.defects.keep(event.defectCode, in: context) }
        handlers.on(NCRDecided.self, ReworkHandlers(policy: policy, spks: repositories.spks).ncrDecided)
        let floor = FloorHandlers(policy: policy, spks: repositories.spks)
        handlers.handle(GetCurrentShift.self, floor.currentShift)
        handlers.handle(MobileSync.self, floor.mobileSync)
        let snapshots = SnapshotHandlers(spks: repositories.spks, inputs: repositories.inputs)
        handlers.handle(ExportSPKs.self, snapshots.exportSPKs)
        handlers.handle(ExportDailyInputs.self, snapshots.exportDailyInputs)
        let fill = DefectCodeFill(now: environment.now, defects: repositories.defects)
        return ServiceDefinition(
            name: ServiceName.production.rawValue, environment: environment, migrations: ProductionMigrations.all,
            handlers: handlers, background: [{ client, bus, logger, _ in await fill.run(client: client, bus: bus, logger: logger) }])
    }

    /// The policy from the environment: `STITCH_FACTORY_TIMEZONE` (Asia/Jakarta),
    /// `STITCH_OVERRUN_TOLERANCE_PERCENT` (10), `STITCH_SHIFT_BASED_STAGES` (CUTTING; comma-separated, or NONE),
    /// `STITCH_DAY_SHIFT_START` (07:00), `STITCH_NIGHT_SHIFT_START` (19:00).
    public static func policy(from environment: EnvironmentReader = EnvironmentReader()) throws -> ProductionPolicy {
        func shiftStart(_ name: String, _ fallback: String) throws -> Int {
            let text = try environment.string(name, default: fallback)
            guard let minutes = ShiftCalendar.minutes(text) else { throw ConfigurationError("\(name) must be a time as HH:MM, got \"\(text)\"") }
            return minutes
        }
        let stagesText = try environment.string("STITCH_SHIFT_BASED_STAGES", default: "CUTTING")
        var stages: Set<Stage> = []
        for name in stagesText.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).uppercased() })
        where name != "NONE" && !name.isEmpty {
            guard let stage = Stage(rawValue: name) else {
                throw ConfigurationError(
                    "STITCH_SHIFT_BASED_STAGES: \"\(name)\" is not a stage (\(Stage.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            stages.insert(stage)
        }
        let day = try shiftStart("STITCH_DAY_SHIFT_START", "07:00")
        let night = try shiftStart("STITCH_NIGHT_SHIFT_START", "19:00")
        guard day < night else { throw ConfigurationError("STITCH_DAY_SHIFT_START must be before STITCH_NIGHT_SHIFT_START") }
        return ProductionPolicy(
            timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"),
            overrunTolerancePercent: try environment.int("STITCH_OVERRUN_TOLERANCE_PERCENT", default: 10, range: 0...100),
            shiftBasedStages: stages, dayShiftStart: day, nightShiftStart: night)
    }
}
