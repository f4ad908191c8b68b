import Contracts
import Foundation
import ServiceKit
import Testing

@testable import Approval

/// Deciding and cancelling requests, level by level, on in-memory repositories.
@Suite struct ApprovalDecisionHandlerTests {
    let f = ApprovalFixture()

    @Test func approvingALevelMovesOnWithoutAnEvent() async throws {
        let request = try await f.quantityChange(f.spk(), to: 400)
        let effects = RecordedEffects()
        let decided = try await f.decide(request, by: f.productionManager, notes: " ok ", effects)
        #expect(decided.status == .pending && decided.currentLevel == 2)
        #expect(decided.levels[0].status == .approved && decided.levels[0].decidedBy == "prod_manager" && decided.levels[0].notes == "ok")
        #expect(decided.levels[0].decidedAt == ApprovalFixture.now)
        #expect(effects.messages.isEmpty)
        #expect(effects.auditRows.map(\.action) == ["approve level 1"])
        #expect(try await f.stored(request) == decided)
    }

    @Test func theLastApprovalApprovesTheRequest() async throws {
        let request = try await f.quantityChange(f.spk(), to: 400)
        try await f.decide(request, by: f.productionManager)
        let effects = RecordedEffects()
        let approved = try await f.decide(request, by: f.manager, effects)
        #expect(approved.status == .approved)
        #expect(effects.events(ApprovalApproved.self).map(\.request) == [approved])
        #expect(effects.auditRows.map(\.action) == ["approve level 2"])
    }

    @Test func aRejectionNeedsNotesAndEndsTheRequest() async throws {
        let request = try await f.quantityChange(f.spk(), to: 400)
        let bare = await #expect(throws: ErrorReply.self) { try await f.decide(request, by: f.productionManager, approved: false, notes: " ") }
        #expect(bare?.code == .validationFailed && bare?.details.map(\.field) == ["notes"])
        let effects = RecordedEffects()
        let rejected = try await f.decide(request, by: f.productionManager, approved: false, notes: "too late", effects)
        #expect(rejected.status == .rejected && rejected.levels[0].status == .rejected)
        #expect(effects.events(ApprovalRejected.self).map(\.request.id) == [request.id])
        #expect(effects.auditRows.map(\.action) == ["reject level 1"])
    }

    @Test func nobodyApprovesTheirOwnRequest() async throws {
        let asker = Actor(userId: "u-pm2", username: "pm2", roles: ["PRODUCTION_MANAGER"])
        let spk = f.spk()
        let request = try await f.handlers.requestQuantityChange(RequestQuantityChange(spk: spk.code, newQty: 450, reason: "r"), f.context(asker))
        let error = await #expect(throws: ErrorReply.self) { try await f.decide(request, by: asker) }
        #expect(error?.code == .forbidden)
    }

    @Test func eachLevelIsDecidedByItsRole() async throws {
        let request = try await f.quantityChange(f.spk(), to: 400)
        let error = await #expect(throws: ErrorReply.self) { try await f.decide(request, by: f.manager) }
        #expect(error?.code == .forbidden)
        #expect(try await f.stored(request).levels[0].status == .pending)
    }

    @Test func aDecidedRequestIsNotDecidedAgain() async throws {
        let request = try await f.quantityChange(f.spk(), to: 450)
        try await f.decide(request, by: f.productionManager)
        let error = await #expect(throws: ErrorReply.self) { try await f.decide(request, by: f.productionManager) }
        #expect(error?.code == .conflict)
    }

    @Test func anUnknownRequestIsNotFound() async throws {
        let error = await #expect(throws: ErrorReply.self) {
            try await f.handlers.decide(DecideApproval(id: "MOD-20260301-0404", approved: true, notes: nil), f.context(f.productionManager))
        }
        #expect(error?.code == .notFound)
    }

    @Test func theRequesterCancelsAndMayAskAgain() async throws {
        let spk = f.spk()
        let request = try await f.quantityChange(spk, to: 450)
        let effects = RecordedEffects()
        let cancelled = try await f.handlers.cancel(CancelApproval(id: request.code.lowercased()), f.context(f.supervisor, effects))
        #expect(cancelled.status == .cancelled)
        #expect(effects.events(ApprovalCancelled.self).map(\.request) == [cancelled])
        #expect(effects.auditRows.map(\.action) == ["cancel"])
        #expect(try await f.quantityChange(spk, to: 420).status == .pending)
    }

    @Test func onlyTheRequesterCancelsAndOnlyWhilePending() async throws {
        let request = try await f.quantityChange(f.spk(), to: 450)
        let other = await #expect(throws: ErrorReply.self) { try await f.handlers.cancel(CancelApproval(id: request.code), f.context(f.manager)) }
        #expect(other?.code == .forbidden)
        try await f.decide(request, by: f.productionManager)
        let late = await #expect(throws: ErrorReply.self) { try await f.handlers.cancel(CancelApproval(id: request.code), f.context(f.supervisor)) }
        #expect(late?.code == .conflict)
    }
}
