import Contracts
import PostgresNIO

/// What a caller hears when PostgreSQL refuses the data of a request (a deterministic failure):
/// a 4xx that says which value, never a retry and never a dead letter. The gateway and the
/// services' own validation should have caught it first; this is the net under them.
enum DatabaseRefusal {
    static func reply(for error: PSQLError) -> ErrorReply {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "the value was refused"
        let field = error.serverInfo?[.columnName] ?? error.serverInfo?[.constraintName]
        let details = field.map { [FieldError(field: $0, message: message)] } ?? []
        switch state {
        case "23505":
            return ErrorReply(.conflict, "It already exists (\(message)).", details: details)
        case "23503":
            return ErrorReply(.ruleViolated, "It refers to something that does not exist (\(message)).", details: details)
        case let state where state.hasPrefix("22") || state.hasPrefix("23"):
            return ErrorReply(.validationFailed, "A value was refused: \(message).", details: details)
        default:
            // 42xxx and the like: our SQL is wrong, not the caller's data.
            return ErrorReply(.internalError, "The request could not be processed.")
        }
    }
}
