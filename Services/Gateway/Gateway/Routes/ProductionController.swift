import Contracts
import Foundation
import Hummingbird
import Messaging

/// `/api/v1/production`: each route becomes a command or query to Production with the user as actor.
struct ProductionController: Sendable {
    let operators: OperatorLookup

    struct MobileBatchBody: Codable, ItemwiseValidated, Sendable {
        struct Item: Codable, Sendable {
            var spkId: String
            var entry: DailyInputEntry
            enum CodingKeys: String, CodingKey { case spkId }
            init(from decoder: any Decoder) throws {
                spkId = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .spkId)
                entry = try DailyInputEntry(from: decoder)
            }
            func encode(to encoder: any Encoder) throws {
                try entry.encode(to: encoder)
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(spkId, forKey: .spkId)
            }
        }
        var entries: [Item]
    }

    struct ReasonBody: Codable, Sendable, BoundedInput {
        var reason: String
        var inputProblems: [FieldError] { InputRules.requiredText(reason, field: "reason").map { [$0] } ?? [] }
    }

    struct SPKQuery: Decodable, Sendable, PagedQuery {
        var status: SPKStatus?
        var stage: Stage?
        var department: Department?
        var dueBefore: LocalDate?
        var dueAfter: LocalDate?
        /// The SPKs of one manufacturing order (its id or code).
        var order: String?
        var page: Int?
        var perPage: Int?
    }

    struct OrderQuery: Decodable, Sendable, PagedQuery {
        var status: OrderStatus?
        var articleCode: String?
        var page: Int?
        var perPage: Int?
    }

    struct SyncQuery: Decodable, Sendable {
        /// The cursor of the previous sync; without it, everything open.
        var since: String?
    }

    func register(on routes: APIRoutes) {
        let anyUser = Access.signedIn()
        routes.add(
            .post, "spks", "Create an SPK (work order)", access: .roles(ProductionPermissions.createSPK),
            body: CreateSPK.self, reply: SPK.self, status: .created
        ) { try await $0.send($0.body) }
        routes.add(.get, "spks", "List SPKs", access: anyUser, query: SPKQuery.self, reply: Listed<SPK>.self) { call in
            let query = call.query
            return Listed(
                try await call.send(
                    ListSPKs(
                        status: query.status, stage: query.stage, department: query.department,
                        dueBefore: query.dueBefore, dueAfter: query.dueAfter, order: query.order,
                        page: query.pageRequest)))
        }
        routes.add(.get, "spks/:id", "One SPK by id or code", access: anyUser, reply: SPK.self) {
            try await $0.send(GetSPK(spk: try $0.parameter("id")))
        }
        routes.add(
            .post, "spk/:id/daily-input", "Record a day's output for an SPK (client_entry_id makes a repeat harmless)",
            access: .roles(ProductionPermissions.record, note: "line staff and supervisors for their own department's SPKs"),
            body: DailyInputEntry.self, reply: DailyInputResult.self
        ) { call in
            try await call.send(
                RecordDailyInput(
                    spk: try call.parameter("id"), entry: call.body,
                    operator: try await operators.resolve(call.body.operatorId)))
        }
        routes.add(.get, "spk/:id/progress", "Target, cumulative output and daily totals", access: anyUser, reply: SPKProgress.self) {
            try await $0.send(GetSPKProgress(spk: try $0.parameter("id")))
        }
        routes.add(.get, "my-spks", "Open SPKs of the caller's department", access: anyUser, reply: [SPK].self) {
            try await $0.send(ListMySPKs())
        }
        routes.add(
            .post, "mobile/daily-input",
            "A phone's offline backlog (1–\(RecordMobileBatch.maxEntries) entries), each answered recorded, duplicate or rejected",
            access: .roles(ProductionPermissions.record, note: "each entry judged for the caller's department"),
            body: MobileBatchBody.self, reply: [MobileEntryResult].self
        ) { call in
            try await mobileBatch(call)
        }
        for action in SPKAction.allCases {
            let (summary, roles) = Self.describe(action)
            routes.add(
                .post, "spk/:id/\(action.rawValue.lowercased())", summary,
                access: .roles(roles, note: "supervisors for their own department"), body: ReasonBody.self, reply: SPK.self
            ) { call in
                try await call.send(ChangeSPKStatus(spk: try call.parameter("id"), action: action, reason: call.body.reason))
            }
        }
        routes.add(
            .post, "daily-input/:entry_id/void", "Void a wrong daily entry: a reversal is recorded, totals and status follow",
            access: .roles(ProductionPermissions.voidEntry, note: "supervisors for their own department"), body: ReasonBody.self,
            reply: VoidResult.self
        ) { call in
            try await call.send(VoidDailyInput(entryId: try call.parameter("entry_id"), reason: call.body.reason))
        }
        routes.add(
            .post, "orders",
            "Create a manufacturing order (MO-YYYYMMDD-NNNN) and one SPK per stage of its route, dates spread over its window",
            access: .roles(ProductionPermissions.createSPK), body: CreateOrder.self, reply: ManufacturingOrder.self, status: .created
        ) {
            try await $0.send($0.body)
        }
        routes.add(
            .get, "orders", "List manufacturing orders, newest first", access: anyUser, query: OrderQuery.self,
            reply: Listed<ManufacturingOrder>.self
        ) { call in
            Listed(
                try await call.send(
                    ListOrders(
                        status: call.query.status, articleCode: call.query.articleCode,
                        page: call.query.pageRequest)))
        }
        routes.add(.get, "orders/:id", "An order by id or code, with its SPKs and progress", access: anyUser, reply: ManufacturingOrder.self) {
            try await $0.send(GetOrder(order: try $0.parameter("id")))
        }
        routes.add(.get, "current-shift", "The shift running now in the factory's time zone", access: anyUser, reply: CurrentShift.self) {
            try await $0.send(GetCurrentShift())
        }
        routes.add(
            .get, "mobile/sync", "A phone's sync: the department's open SPKs, or only what changed since the cursor",
            access: .signedIn(note: "users with a production department"), query: SyncQuery.self, reply: MobileSyncResult.self
        ) {
            try await $0.send(MobileSync(since: $0.query.since))
        }
    }

    static func describe(_ action: SPKAction) -> (String, [Role]) {
        switch action {
        case .hold: ("Hold an SPK (no input until resumed)", ProductionPermissions.holdOrResume)
        case .resume: ("Resume a held SPK", ProductionPermissions.holdOrResume)
        case .cancel: ("Cancel an SPK that is not finished", ProductionPermissions.cancelOrClose)
        case .close: ("Close a started SPK short of its target", ProductionPermissions.cancelOrClose)
        }
    }

    func mobileBatch(_ call: Call<NoQuery, MobileBatchBody>) async throws -> [MobileEntryResult] {
        let body = call.body
        guard !body.entries.isEmpty, body.entries.count <= RecordMobileBatch.maxEntries else {
            throw ErrorReply.validation([FieldError(field: "entries", message: "must hold 1 to \(RecordMobileBatch.maxEntries) entries")])
        }
        // A backlog names the same few operators many times: look each up once.
        var found: [String: OperatorRef] = [:]
        for name in Set(body.entries.compactMap(\.entry.operatorId)) { found[name] = try await operators.resolve(name) }
        let command = RecordMobileBatch(
            entries: body.entries.map {
                MobileEntry(spkId: $0.spkId, entry: $0.entry, operator: $0.entry.operatorId.flatMap { found[$0] })
            })
        return try await call.send(command, timeout: call.longTimeout)
    }
}
