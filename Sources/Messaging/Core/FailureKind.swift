import Contracts
import Foundation
import PostgresNIO

/// The two kinds of failure of docs/architecture.md (rule 5), decided in this one place.
///
/// - `transient`: the world is not there right now (connection refused or reset, the database
///   starting up or shutting down, the broker gone, a deadline passed, a serialization conflict).
///   Waited out with backoff for as long as it lasts; never counts toward dead-lettering.
/// - `deterministic`: the same message will fail the same way again (it cannot be decoded, a rule
///   refuses it, PostgreSQL rejects the data). Answered or parked at once, never retried.
/// - `unknown`: an error nobody classified (a bug, most likely). Retried a few times, then parked,
///   so that neither an outage nor a bug can stall a queue for ever.
public enum FailureKind: Sendable, Equatable {
    case transient
    case deterministic
    case unknown

    public init(of error: any Error) {
        self = Self.classify(error)
    }

    private static func classify(_ error: any Error) -> FailureKind {
        switch error {
        case is CancellationError:
            return .transient
        case is PermanentFailure, is ErrorReply, is DecodingError, is EncodingError:
            return .deterministic
        case is DeadlineExceeded, is DatabaseConnectionClosed, is ConcurrentRepeat, is AwaitingEarlierEvent:
            return .transient
        case let error as MessagingError:
            switch error {
            case .connectionLost, .timeout, .unavailable, .closed, .nacked: return .transient
            // A mandatory message no queue takes: its consumer has not declared its queue yet.
            case .unroutable: return .transient
            case .protocolError, .invalidConfiguration: return .deterministic
            }
        case let error as PostgresTransactionError:
            // The closure's own error decides; otherwise BEGIN/COMMIT/ROLLBACK failed on the wire.
            if let inner = error.closureError { return classify(inner) }
            if let inner = error.beginError ?? error.commitError ?? error.rollbackError { return classify(inner) }
            return .transient
        case let error as PSQLError:
            return classify(error)
        case is ChannelError, is IOError, is NIOConnectionError:
            return .transient
        default:
            return .unknown
        }
    }

    private static func classify(_ error: PSQLError) -> FailureKind {
        switch error.code {
        case .server:
            return of(sqlState: error.serverInfo?[.sqlState] ?? "")
        case .tooManyParameters, .messageDecodingFailure, .invalidCommandTag:
            return .deterministic
        case .queryCancelled:
            // statement_timeout or a cancel from shutdown: try again later.
            return .transient
        default:
            // Connection-level: closed, reset, TLS/auth handshake while the server restarts, pool closing.
            return .transient
        }
    }

    /// By SQLSTATE class (PostgreSQL, Appendix A).
    public static func of(sqlState: String) -> FailureKind {
        switch sqlState {
        case "40001", "40P01", "55P03", "55006":  // serialization failure, deadlock, lock not available, object in use
            return .transient
        case "57014":  // query_canceled (statement_timeout)
            return .transient
        default:
            break
        }
        switch sqlState.prefix(2) {
        case "08", "53", "57", "58", "XX":
            // connection exception, insufficient resources, operator intervention (shutdown, starting
            // up), system error, internal error: the server, not the data.
            return .transient
        case "22", "23", "42", "2B", "2F", "0A", "P0":
            // data exception (NUL byte, out of range…), integrity violation, syntax/undefined object,
            // dependent privilege, SQL routine exception, feature not supported, PL/pgSQL raise.
            return .deterministic
        default:
            return .unknown
        }
    }
}

extension FailureKind {
    /// `error` for a log line or a dead letter's reason: a database error by its SQLSTATE and message
    /// (PSQLError's own description hides both), anything else as it describes itself.
    public static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError,
            let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError
        {
            return describe(inner)
        }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return "database error SQLSTATE \(state): \(error.serverInfo?[.message] ?? "?")"
        }
        return "\(error)"
    }
}

/// A wait that passed its deadline (see `withDeadline`). Transient: the thing waited for may answer later.
public struct DeadlineExceeded: Error, CustomStringConvertible, Sendable {
    public var what: String
    public var after: Duration
    public init(_ what: String, after: Duration) {
        self.what = what
        self.after = after
    }
    public var description: String { "\(what) did not finish within \(after)" }
}

/// A repeat of work (same idempotency key) committed while this copy was doing it: this copy rolls
/// back. Transient: tried again, it finds the stored outcome and answers with it.
public struct ConcurrentRepeat: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An event that needs another one this service has not handled yet (events of one flow published in
/// separate transactions may arrive out of order). Transient: tried again until the other has landed.
public struct AwaitingEarlierEvent: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
