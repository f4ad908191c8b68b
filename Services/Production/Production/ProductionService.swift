import Contracts
import Foundation
import Messaging
import ServiceKit

/// Production: SPKs (work orders), daily input, progress. Owns schema `production`.
public enum ProductionService {
    public static func definition(policy: ProductionPolicy = ProductionPolicy()) -> ServiceDefinition {
        let spks = SPKHandlers(policy: policy)
        let inputs = DailyInputHandlers(policy: policy)
        var handlers = HandlerRegistry()
        handlers.handle(CreateSPK.self, spks.create)
        handlers.handle(ListSPKs.self, spks.list)
        handlers.handle(GetSPK.self, spks.get)
        handlers.handle(GetSPKProgress.self, spks.progress)
        handlers.handle(ListMySPKs.self, spks.mine)
        handlers.handle(RecordDailyInput.self, inputs.record)
        handlers.handle(RecordMobileBatch.self, inputs.recordBatch)
        let lifecycle = LifecycleHandlers(policy: policy)
        handlers.handle(ChangeSPKStatus.self, lifecycle.changeStatus)
        handlers.handle(VoidDailyInput.self, lifecycle.voidEntry)
        handlers.on(ApprovalApproved.self, TargetChangeHandlers(policy: policy).approved)
        return ServiceDefinition(name: ServiceName.production.rawValue, migrations: ProductionMigrations.all, handlers: handlers)
    }

    /// The policy from the environment: `STITCH_FACTORY_TIMEZONE` (Asia/Jakarta),
    /// `STITCH_OVERRUN_TOLERANCE_PERCENT` (10).
    public static func policy(from environment: EnvironmentReader = EnvironmentReader()) throws -> ProductionPolicy {
        ProductionPolicy(timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"),
                                overrunTolerancePercent: try environment.int("STITCH_OVERRUN_TOLERANCE_PERCENT", default: 10, range: 0...100))
    }
}
