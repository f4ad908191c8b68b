import Contracts
import Messaging

/// Carrying out what another service decided (an approved debt, a decided NCR…). A business refusal
/// here — the warehouse cannot issue it, the stock is not where the decision says — is data the deciding
/// service must hear and show on its document, never a dead letter nobody reads: dead letters are for
/// messages that cannot be read or keep crashing a consumer.
extension MessageContext {
    /// Runs `body` under a savepoint. A refusal (an `ErrorReply` that is not an outage, or a
    /// `PermanentFailure`) undoes what `body` wrote and is handed to `refused`, which reports it back as an
    /// event in this same transaction; nil is returned then. An outage (503/504) is rethrown as transient,
    /// so the message waits it out; any other error is rethrown as it is. (Run in memory, the effects are undone
    /// but not the repositories' writes: a refusal after a write is proved by the integration tests.)
    public func carryOut<T>(_ body: () async throws -> T, refused: (ErrorReply) async throws -> Void) async throws -> T? {
        try await effects.savepoint("carry_out")
        let refusal: ErrorReply
        do {
            let result = try await body()
            try await effects.release("carry_out")
            return result
        } catch let error as ErrorReply where error.code == .unavailable || error.code == .timeout {
            throw MessagingError.unavailable(error.message)
        } catch let error as ErrorReply {
            refusal = error
        } catch let error as PermanentFailure {
            refusal = ErrorReply(.ruleViolated, error.description)
        }
        try await effects.rollback(to: "carry_out")
        try await refused(refusal)
        return nil
    }
}

extension ErrorReply {
    /// The message with what each detail says, for a document that shows why something was refused.
    public var explanation: String {
        message + details.map { " \($0.field): \($0.message)." }.joined()
    }
}
