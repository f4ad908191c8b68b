import Contracts
import Foundation
import Hummingbird

/// Quantity changes, material debt and their approval, as the production screens call them.
struct ApprovalController: Sendable {
    struct ModificationBody: Codable, Sendable, BoundedInput {
        var newQty: Int
        var reason: String
        enum CodingKeys: String, CodingKey { case newQty, reason }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            newQty = try container.decodeWholeNumber(forKey: .newQty)
            reason = try container.decode(String.self, forKey: .reason)
        }
        func command(spk: String) -> RequestQuantityChange { RequestQuantityChange(spk: spk, newQty: newQty, reason: reason) }
        var inputProblems: [FieldError] { command(spk: "").inputProblems }
    }

    struct DecisionBody: Codable, Sendable {
        var approved: Bool
        /// Required when `approved` is false.
        var notes: String?
    }

    struct DebtQuery: Decodable, Sendable, PagedQuery {
        var status: ApprovalStatus?
        var page: Int?
        var perPage: Int?
    }

    /// A request as the screens show it: every field, plus `mod_id` (its code) and its age.
    struct RequestView: Encodable, Sendable, DocumentedSample {
        var request: ApprovalRequest
        enum Keys: String, CodingKey { case modId, ageMinutes }
        func encode(to encoder: any Encoder) throws {
            try request.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(request.code, forKey: .modId)
            try container.encode(Int(Date().timeIntervalSince(request.requestedAt) / 60), forKey: .ageMinutes)
        }
        static func documentationSample(_ catalog: SchemaCatalog) throws -> RequestView {
            RequestView(request: try catalog.sample(ApprovalRequest.self))
        }
    }

    func register(production: APIRoutes, approvals: APIRoutes) {
        let requesters = Access.roles([.productionSupervisor, .productionManager, .ppicManager])
        for (path, summary) in [
            ("spk/:id/request-modification", "Ask to change an SPK's target; goes through the approval chain"),
            ("spk/:id/modify-qty", "Same as request-modification"),
        ] {
            production.add(
                .post, path, summary, access: requesters, body: ModificationBody.self, reply: RequestView.self,
                status: .created
            ) { call in
                RequestView(request: try await call.send(call.body.command(spk: try call.parameter("id"))))
            }
        }
        production.add(
            .post, "material-debt/request", "Ask to issue material the warehouse does not have",
            access: .roles([.productionSupervisor, .productionManager]), body: RequestMaterialDebt.self,
            reply: RequestView.self, status: .created
        ) { RequestView(request: try await $0.send($0.body)) }
        production.add(
            .get, "material-debt", "Material debt requests", access: .signedIn(), query: DebtQuery.self,
            reply: Listed<RequestView>.self
        ) { call in
            Listed(try await call.send(ListMaterialDebts(status: call.query.status, page: call.query.pageRequest)), RequestView.init)
        }
        production.add(
            .get, "material-debt/pending", "Material debt requests still pending", access: .signedIn(), query: PageQuery.self,
            reply: Listed<RequestView>.self
        ) { call in
            Listed(try await call.send(ListMaterialDebts(status: .pending, page: call.query.pageRequest)), RequestView.init)
        }
        production.add(
            .get, "approvals/pending", "What waits for the caller's roles at its current level, oldest first",
            access: .signedIn(), query: PageQuery.self, reply: Listed<RequestView>.self
        ) { call in
            Listed(try await call.send(ListPendingApprovals(page: call.query.pageRequest)), RequestView.init)
        }
        production.add(
            .post, "approvals/:id/approve", "Decide the current level: approved true/false (a rejection needs notes)",
            access: .signedIn(note: "the level's role; never the requester"), body: DecisionBody.self,
            reply: RequestView.self
        ) { call in
            RequestView(
                request: try await call.send(
                    DecideApproval(
                        id: try call.parameter("id"), approved: call.body.approved,
                        notes: call.body.notes)))
        }
        production.add(
            .post, "approvals/:id/cancel", "Withdraw a pending request", access: .signedIn(note: "the requester"),
            reply: RequestView.self
        ) { call in
            RequestView(request: try await call.send(CancelApproval(id: try call.parameter("id"))))
        }
        approvals.add(.get, ":id", "A request with every decision", access: .signedIn(), reply: RequestView.self) { call in
            RequestView(request: try await call.send(GetApproval(id: try call.parameter("id"))))
        }
    }
}
