import Contracts
import Logging
import Metrics
import PostgresNIO

/// What a caller hears when PostgreSQL refuses the data of a request (a deterministic failure).
///
/// The rule: only a command writes what its caller sent, so only a command's data error (SQLSTATE
/// classes 22 and 23) can be the caller's fault — a 4xx that says which value, never a retry and
/// never a dead letter (the gateway and the service's own validation should have caught it first;
/// this is the net under them). A query's data error comes from the rows we stored (a sum that
/// overflowed, a cast a stored value does not fit): it is ours, a 500 INTERNAL_ERROR that blames
/// nobody's input. Either way it is logged with its SQLSTATE and counted in
/// `stitch_database_data_errors_total{service, type, sqlstate, blamed}`, since each one means a check
/// or a column is missing somewhere. An event handler's data error never reaches a caller: it is
/// deterministic and parks the event (`FailureKind`), which is counted as a failed message.
enum DatabaseRefusal {
    static func reply(for error: PSQLError, command: Bool) -> ErrorReply {
        reply(
            sqlState: error.serverInfo?[.sqlState] ?? "", message: error.serverInfo?[.message] ?? "the value was refused",
            field: error.serverInfo?[.columnName] ?? error.serverInfo?[.constraintName], command: command)
    }

    static func reply(sqlState state: String, message: String, field: String?, command: Bool) -> ErrorReply {
        let details = field.map { [FieldError(field: $0, message: message)] } ?? []
        let isDataError = state.hasPrefix("22") || state.hasPrefix("23")
        switch state {
        case _ where isDataError && !command:
            return ErrorReply(.internalError, "The request could not be processed.")
        case "23505":
            return ErrorReply(.conflict, "It already exists (\(message)).", details: details)
        case "23503":
            return ErrorReply(.ruleViolated, "It refers to something that does not exist (\(message)).", details: details)
        case _ where isDataError:
            return ErrorReply(.validationFailed, "A value was refused: \(message).", details: details)
        default:
            // 42xxx and the like: our SQL is wrong, not the caller's data.
            return ErrorReply(.internalError, "The request could not be processed.")
        }
    }

    /// Logs and counts a refusal `reply(for:command:)` answered; a unique key taken (23505) is an
    /// ordinary conflict and only logged at debug level.
    static func record(_ error: PSQLError, reply: ErrorReply, service: String, type: String, logger: Logger) {
        let state = error.serverInfo?[.sqlState] ?? "?"
        let message = error.serverInfo?[.message] ?? String(reflecting: error)
        let blamed = reply.code == .internalError ? "service" : "caller"
        if state == "23505" {
            logger.debug("\(type): SQLSTATE \(state): \(message)")
            return
        }
        if blamed == "service" {
            logger.error(
                "\(type) failed on a database error it did not cause: SQLSTATE \(state): \(message)",
                metadata: ["sqlstate": .string(state)])
        } else {
            logger.warning(
                "\(type) refused by the database, past validation: SQLSTATE \(state): \(message)",
                metadata: ["sqlstate": .string(state)])
        }
        Counter(
            label: "stitch_database_data_errors_total",
            dimensions: [("service", service), ("type", type), ("sqlstate", state), ("blamed", blamed)]
        ).increment()
    }
}
