import Contracts

extension InMemoryMessageBus {
    /// Answers every `Q` with what `reply` makes of it (or the `ErrorReply` it throws), as `Q`'s owner would.
    public func answer<Q: Query>(_ type: Q.Type, _ reply: @escaping @Sendable (Q) throws(ErrorReply) -> Q.Reply) {
        answer(Q.messageType) { message in
            let outcome: RequestOutcome<Q.Reply>
            do {
                outcome = .success(try reply(try StitchJSON.decode(Envelope<Q>.self, from: message.body).payload))
            } catch let error as ErrorReply {
                outcome = .failure(error)
            } catch {
                outcome = .failure(ErrorReply(.malformed, "\(Q.messageType) could not be read: \(error)"))
            }
            return (try? StitchJSON.encode(outcome)) ?? []
        }
    }
}
