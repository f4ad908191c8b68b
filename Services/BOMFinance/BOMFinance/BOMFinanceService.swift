import Contracts
import Foundation
import Messaging
import ServiceKit

/// BOMFinance: materials, articles, versioned BOMs, costing and variance. Owns schema `bomfinance`.
public enum BOMFinanceService {
    public static func definition(environment: ServiceEnvironment, settings: BOMFinanceSettings = BOMFinanceSettings()) -> ServiceDefinition {
        var clocked = settings
        clocked.now = environment.now
        let settings = clocked
        var handlers = HandlerRegistry()
        handlers.today = { LocalDate.of(settings.now(), in: settings.timeZone) }
        let materials = MaterialHandlers(settings: settings)
        handlers.handle(CreateMaterial.self, materials.create)
        handlers.handle(UpdateMaterial.self, materials.update)
        handlers.handle(SetMaterialCost.self, materials.setCost)
        handlers.handle(ImportMaterials.self, materials.importCSV)
        handlers.handle(GetMaterial.self, materials.get)
        handlers.handle(GetMaterialDetail.self, materials.detail)
        handlers.handle(ListMaterials.self, materials.list)
        let articles = ArticleHandlers(settings: settings)
        handlers.handle(CreateArticle.self, articles.create)
        handlers.handle(ImportArticles.self, articles.importCSV)
        handlers.handle(UpdateArticle.self, articles.update)
        handlers.handle(GetArticle.self, articles.get)
        handlers.handle(ListArticles.self, articles.list)
        handlers.handle(GetArticlePlan.self, articles.plan)
        let boms = BOMHandlers(settings: settings)
        handlers.handle(CreateBOM.self, boms.create)
        handlers.handle(UpdateBOM.self, boms.update)
        handlers.handle(ChangeBOM.self, boms.change)
        handlers.handle(GetBOM.self, boms.get)
        handlers.handle(ListBOMs.self, boms.list)
        let costing = CostingHandlers(settings: settings)
        handlers.handle(GetArticleCosting.self, costing.article)
        handlers.handle(GetOrderCosting.self, costing.order)
        handlers.handle(GetOrderRequirements.self, costing.requirements)
        // Re-costing is the consequence of the cost-change event, not of the command that set the cost.
        handlers.on(MaterialCostChanged.self, costing.costChanged)
        handlers.on(OrderCreated.self, costing.orderCreated)
        handlers.on(DailyInputRecorded.self, where: { $0.spk.orderCode != nil }, costing.inputRecorded)
        handlers.on(DailyInputVoided.self, costing.inputVoided)
        handlers.on(MaterialIssued.self, costing.materialIssued)
        let scrap = ScrapCostingHandlers(settings: settings)
        handlers.on(NCRStockDisposed.self, scrap.disposed)
        handlers.handle(GetScrapCosting.self, scrap.report)
        let calendar = CostCalendar(settings: settings)
        return ServiceDefinition(
            name: ServiceName.bomfinance.rawValue, environment: environment, migrations: BOMFinanceMigrations.all, handlers: handlers,
            background: [{ client, _, logger, monitor in await calendar.run(client: client, logger: logger, monitor: monitor) }])
    }
}
