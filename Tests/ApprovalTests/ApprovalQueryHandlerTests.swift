import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Approval

/// What approvers and the warehouse see: pending work, one request, material debts.
@Suite struct ApprovalQueryHandlerTests {
    let f = ApprovalFixture()

    @Test func pendingShowsWhatWaitsForTheCallersRolesOldestFirst() async throws {
        let first = try await f.quantityChange(f.spk(code: "SPK-A"), to: 450)
        let second = try await f.quantityChange(f.spk(code: "SPK-B"), to: 450)
        let third = try await f.quantityChange(f.spk(code: "SPK-C"), to: 400)
        try await f.decide(third, by: f.productionManager)  // now waits for MANAGER
        let forPM = try await f.handlers.pending(ListPendingApprovals(), f.context(f.productionManager))
        #expect(forPM.items.map(\.code) == [first.code, second.code] && forPM.total == 2)
        let paged = try await f.handlers.pending(ListPendingApprovals(page: PageRequest(page: 2, perPage: 1)), f.context(f.productionManager))
        #expect(paged.items.map(\.code) == [second.code] && paged.total == 2 && paged.page == 2)
        #expect(try await f.handlers.pending(ListPendingApprovals(), f.context(f.manager)).items.map(\.code) == [third.code])
    }

    @Test func pendingLeavesOutTheCallersOwnRequests() async throws {
        let asker = Actor(userId: "u-pm2", username: "pm2", roles: ["PRODUCTION_MANAGER"])
        let spk = f.spk()
        _ = try await f.handlers.requestQuantityChange(RequestQuantityChange(spk: spk.code, newQty: 450, reason: "r"), f.context(asker))
        #expect(try await f.handlers.pending(ListPendingApprovals(), f.context(asker)).items.isEmpty)
        #expect(try await f.handlers.pending(ListPendingApprovals(), f.context(f.productionManager)).total == 1)
    }

    @Test func pendingNeedsASignedInCallerAndAPageInRange() async throws {
        let anonymous = await #expect(throws: ErrorReply.self) { try await f.handlers.pending(ListPendingApprovals(), f.context(nil)) }
        #expect(anonymous?.code == .unauthorized)
        let badPage = await #expect(throws: ErrorReply.self) {
            try await f.handlers.pending(ListPendingApprovals(page: PageRequest(page: 1, perPage: 501)), f.context(f.manager))
        }
        #expect(badPage?.code == .validationFailed && badPage?.details.map(\.field) == ["per_page"])
    }

    @Test func aRequestIsFoundByIdOrCodeInAnyCase() async throws {
        let request = try await f.quantityChange(f.spk(), to: 450)
        #expect(try await f.handlers.get(GetApproval(id: " \(request.code.lowercased()) "), f.context(f.manager)) == request)
        #expect(try await f.handlers.get(GetApproval(id: request.id.uuidString), f.context(f.manager)) == request)
        let error = await #expect(throws: ErrorReply.self) { try await f.handlers.get(GetApproval(id: "MOD-19990101-0001"), f.context(f.manager)) }
        #expect(error?.code == .notFound)
    }

    @Test func materialDebtsListOnlyDebtsFilteredByStatus() async throws {
        let spk = f.spk()
        f.material("FAB-RED", unit: .m)
        _ = try await f.quantityChange(spk, to: 450)
        let first = try await f.materialDebt(spk, qty: 1)
        let second = try await f.materialDebt(spk, qty: 2)
        try await f.decide(first, by: f.productionManager, approved: false, notes: "no")
        let all = try await f.handlers.materialDebts(ListMaterialDebts(), f.context(f.warehouseManager))
        #expect(Set(all.items.map(\.code)) == [first.code, second.code] && all.total == 2)
        let pending = try await f.handlers.materialDebts(ListMaterialDebts(status: .pending), f.context(f.warehouseManager))
        #expect(pending.items.map(\.code) == [second.code])
        let badPage = await #expect(throws: ErrorReply.self) {
            try await f.handlers.materialDebts(ListMaterialDebts(page: PageRequest(page: 0)), f.context(f.warehouseManager))
        }
        #expect(badPage?.code == .validationFailed)
    }
}
