import Contracts
import Foundation
import Messaging
import ServiceKit
import Synchronization

@testable import Production

/// Production's handlers on in-memory repositories, with a clock the test sets and the effects (events, commands,
/// audit rows) it reads back: no broker, no database.
final class ProductionHarness: Sendable {
    /// The factory's time zone: "today" and codes follow it, not UTC.
    static let factory = TimeZone(identifier: "Asia/Jakarta")!

    let repositories = ProductionRepositories.inMemory()
    let effects = RecordedEffects()
    let owners = OwnerStub()
    private let instant: Mutex<Date>

    /// The clock starts at 10:00 on `date` in the factory.
    init(date: String = "2026-03-10", hour: Int = 10) {
        instant = Mutex(Self.instant(date, hour: hour))
    }

    var now: Date { instant.withLock { $0 } }
    var today: LocalDate { LocalDate.of(now, in: Self.factory) }

    /// Moves the clock to `hour`:`minute` on `date` in the factory.
    func set(_ date: String, hour: Int, minute: Int = 0) {
        instant.withLock { $0 = Self.instant(date, hour: hour, minute: minute) }
    }

    func advance(seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }

    static func instant(_ date: String, hour: Int, minute: Int = 0) -> Date {
        LocalDate(date)!.startOfDayUTC.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60 - factory.secondsFromGMT()))
    }

    var environment: ServiceEnvironment { ServiceEnvironment(verifier: .trustingUnsigned, now: { self.now }) }

    /// The policy the handlers run on: settings, no clock (handlers read the service's, `context.now`).
    var policy: ProductionPolicy {
        ProductionPolicy(timeZone: Self.factory, overrunTolerancePercent: 10, shiftBasedStages: [.cutting])
    }

    /// One message's context, acting as `actor`; its effects go to `effects`.
    func context(_ actor: Actor?) -> MessageContext {
        MessageContext.inMemory(actor: actor, environment: environment, effects: effects, service: "production", bus: owners)
    }

    var articles: ArticlePlanHandlers { ArticlePlanHandlers(articles: repositories.articles) }
    var spks: SPKHandlers { SPKHandlers(policy: policy, spks: repositories.spks, inputs: repositories.inputs, articles: articles) }
    var lifecycle: LifecycleHandlers { LifecycleHandlers(spks: repositories.spks, inputs: repositories.inputs) }
    var targets: TargetChangeHandlers { TargetChangeHandlers(spks: repositories.spks) }
    var orders: OrderHandlers { OrderHandlers(policy: policy, orders: repositories.orders, spks: repositories.spks, articles: articles) }
    var rework: ReworkHandlers { ReworkHandlers(policy: policy, spks: repositories.spks) }
    var floor: FloorHandlers { FloorHandlers(policy: policy, spks: repositories.spks) }
    var snapshots: SnapshotHandlers { SnapshotHandlers(spks: repositories.spks, inputs: repositories.inputs) }
    var dailyInput: DailyInputHandlers {
        DailyInputHandlers(policy: policy, spks: repositories.spks, inputs: repositories.inputs, defects: repositories.defects)
    }

    /// Daily entries as daily input would have recorded them.
    var inputs: InMemoryDailyInputRepository { repositories.inputs as! InMemoryDailyInputRepository }

    // MARK: Arranging

    /// BOMFinance has announced `code` (route `route`), so Production knows it.
    func knowArticle(_ code: String = "BEAR", route: [Stage] = Stage.defaultRoute, version: Int = 1) async throws {
        try await articles.articleCreated(ArticleCreated(article: Self.article(code, route: route, version: version)), context(.system("bomfinance")))
    }

    static func article(_ code: String, route: [Stage] = Stage.defaultRoute, version: Int = 1) -> Article {
        Article(
            code: code, name: code.capitalized, customer: nil, route: route, labourMinutes: [], active: true, version: version,
            updatedAt: Date(timeIntervalSince1970: 0))
    }

    /// A stand-alone SPK made by the planner, with the effects of making it forgotten.
    func makeSPK(
        _ stage: Stage = .sewing, qty: Int = 100, start: String = "2026-03-01", due: String = "2026-03-20",
        article: String = "BEAR"
    ) async throws -> SPK {
        let spk = try await spks.create(
            CreateSPK(
                articleCode: article, stage: stage, department: stage.department, originalQty: qty,
                startDate: LocalDate(start)!, dueDate: LocalDate(due)!), context(Actors.planner))
        effects.reset()
        return spk
    }

    /// The SPK's output moved as daily input would move it: `qty` good on `date`, the entry recorded.
    @discardableResult
    func produce(_ qty: Int, rejects: Int = 0, on spk: SPK, date: String = "2026-03-09") async throws -> UUID {
        var after = try await repositories.spks.require(spk.id.uuidString, in: context(nil))
        after.producedQty += qty
        after.rejectQty += rejects
        after.status = .running(produced: after.producedQty, target: after.targetQty, started: true)
        after.version += 1
        after.updatedAt = now
        try await repositories.spks.updateProgress(after, in: context(nil))
        return inputs.record(DailyInputEntry(date: LocalDate(date)!, qty: qty, rejectQty: rejects), on: spk.id)
    }

    func spk(_ reference: String) async throws -> SPK {
        try await repositories.spks.require(reference, in: context(nil))
    }
}

/// The people who act in these tests.
enum Actors {
    static let planner = Actor(userId: "u-ppic", username: "ppic_manager", roles: ["PPIC_MANAGER"])
    static let manager = Actor(userId: "u-pm", username: "production_manager", roles: ["PRODUCTION_MANAGER"])
    static let sewingSupervisor = Actor(userId: "u-spv-sew", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
    static let cuttingSupervisor = Actor(userId: "u-spv-cut", username: "spv_cutting", roles: ["PRODUCTION_SPV"], department: "CUTTING")
    static let sewingStaff = Actor(userId: "u-staff-sew", username: "staff_sewing", roles: ["PRODUCTION_STAFF"], department: "SEWING")
    static let finance = Actor(userId: "u-fin", username: "finance", roles: ["FINANCE"])
}

/// The other services as this one asks them: an answer per query type, else no service is running (503).
final class OwnerStub: MessageBus {
    private let answers = Mutex<[String: @Sendable () throws -> [UInt8]]>([:])
    private let asked = Mutex<[String]>([])

    /// `Q` is answered with `reply`.
    func answer<Q: Query>(_ type: Q.Type, with reply: Q.Reply) {
        answers.withLock { $0[Q.messageType] = { try StitchJSON.encode(RequestOutcome<Q.Reply>.success(reply)) } }
    }

    /// `Q` is refused with `error`.
    func refuse<Q: Query>(_ type: Q.Type, with error: ErrorReply) {
        answers.withLock { $0[Q.messageType] = { try StitchJSON.encode(RequestOutcome<Q.Reply>.failure(error)) } }
    }

    /// The types of the queries asked, in order.
    var queries: [String] { asked.withLock { $0 } }

    func request(_ message: OutgoingMessage, timeout: Duration) async throws -> IncomingMessage {
        let type = message.type ?? message.routingKey
        asked.withLock { $0.append(type) }
        guard let answer = answers.withLock({ $0[type] }) else {
            throw MessagingError.unroutable(exchange: message.exchange, routingKey: message.routingKey, reason: "no service runs here")
        }
        return IncomingMessage(exchange: "", routingKey: "", body: try answer(), correlationId: message.correlationId)
    }

    func declare(_ topology: Topology) async throws {}
    func publish(_ messages: [OutgoingMessage]) async throws {}
    func reply(_ messages: [OutgoingMessage]) {}
    func consume(queue: String, prefetch: Int, handler: @escaping @Sendable (Delivery) async -> Void) async throws {}
    func messageCount(queue: String) async throws -> Int { 0 }
    func shutdown() async {}
}
