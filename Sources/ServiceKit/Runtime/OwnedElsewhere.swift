import Contracts
import Messaging

/// Records another service owns (BOMFinance's materials and articles, say), as a service that keeps a
/// copy of them meets them (DESIGN rule 1): its copy first — kept from the owner's events — and, for a
/// record it has no copy of yet (the event is still on its way, or came before this service did), the
/// owner asked once and the answer kept, so the next look-up is local.
extension MessageContext {
    /// The copy `local` reads; when there is none, the owner's answer to `query`, kept by `keep` and read
    /// back. Nil when the owner knows no such record. The owner not answering is a 503 (try again),
    /// never a guess either way.
    public func copyOrAsk<Copy, Q: Query>(
        _ local: () async throws -> Copy?, ask query: Q,
        keep: (Q.Reply) async throws -> Void
    ) async throws -> Copy? {
        if let copy = try await local() { return copy }
        guard let answer = try await askOwner(query) else { return nil }
        try await keep(answer)
        return try await local()
    }

    /// The owner's answer, nil for "no such record" (not found, or a code it refuses as malformed).
    /// An outage or a timeout is a 503 naming the owner; in an event handler, let it pass as transient.
    public func askOwner<Q: Query>(_ query: Q, timeout: Duration = .seconds(3)) async throws -> Q.Reply? {
        do {
            return try await askAsService(query, timeout: timeout)
        } catch let error as ErrorReply {
            switch error.code {
            case .notFound, .ruleViolated, .validationFailed: return nil
            case .timeout, .unavailable:
                throw ErrorReply(.unavailable, "\(Q.owner.displayName) did not answer about a record \(service) has no copy of yet; try again.")
            default: throw error
            }
        }
    }
}

extension ErrorReply {
    /// 422 for a request naming a record its owner does not know, naming the field that names it.
    public static func unknown(_ what: String, _ code: String, owner: ServiceName, field: String) -> ErrorReply {
        .rule("\(owner.displayName) knows no \(what) \(code).", details: [FieldError(field: field, message: "unknown \(what) \(code)")])
    }
}

extension ServiceName {
    /// How people name the service in messages: capitalised, but for the names written otherwise
    /// (a new service needs a case here only if it is one of them).
    public var displayName: String {
        switch self {
        case .ppic: "PPIC"
        case .bomfinance: "BOMFinance"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }
}
