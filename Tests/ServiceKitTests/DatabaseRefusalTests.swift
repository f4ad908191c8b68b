import Contracts
import Testing

@testable import ServiceKit

/// Who is blamed when PostgreSQL refuses data: the caller of a command (what it sent was stored), never
/// the caller of a query (a query stores nothing the caller sent, so the refused data is ours).
@Suite struct DatabaseRefusalTests {
    @Test func aQueryWhoseSumOverflowsIsOurFailureNotTheCallers() {
        let reply = DatabaseRefusal.reply(sqlState: "22003", message: "integer out of range", field: nil, command: false)
        #expect(reply.code == .internalError)
        #expect(reply.code.httpStatus == 500)
        #expect(!reply.message.contains("integer out of range"))  // no detail of ours in the caller's banner
    }

    @Test func aQueryNeverHearsItBrokeAConstraint() {
        for state in ["23505", "23503", "23514", "22P02", "22021"] {
            #expect(DatabaseRefusal.reply(sqlState: state, message: "x", field: "qty", command: false).code == .internalError)
        }
    }

    @Test func aCommandWhoseValueIsRefusedStillHearsWhichValue() {
        let reply = DatabaseRefusal.reply(sqlState: "22003", message: "integer out of range", field: "qty", command: true)
        #expect(reply.code == .validationFailed)
        #expect(reply.details.map(\.field) == ["qty"])
        #expect(DatabaseRefusal.reply(sqlState: "23505", message: "taken", field: nil, command: true).code == .conflict)
        #expect(DatabaseRefusal.reply(sqlState: "42703", message: "no column", field: nil, command: true).code == .internalError)
    }
}
