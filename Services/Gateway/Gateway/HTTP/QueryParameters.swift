import Contracts
import Hummingbird

/// Typed query-string values; a bad one is a 400 naming the parameter.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }

    func page() throws(ErrorReply) -> PageRequest {
        let page = PageRequest(page: try int("page") ?? 1, perPage: try int("per_page") ?? PageRequest.defaultPerPage)
        try page.validate()
        return page
    }

    func int(_ name: String) throws(ErrorReply) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else { throw .validation([FieldError(field: name, message: "must be a whole number")]) }
        return value
    }

    func bool(_ name: String) throws(ErrorReply) -> Bool? {
        guard let text = values[name] else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .validation([FieldError(field: name, message: "must be true or false")])
        }
    }

    func date(_ name: String) throws(ErrorReply) -> LocalDate? {
        guard let text = values[name] else { return nil }
        guard let date = LocalDate(text) else { throw .validation([FieldError(field: name, message: "must be a date as YYYY-MM-DD")]) }
        return date
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(ErrorReply) -> T? where T.RawValue == String {
        guard let text = values[name] else { return nil }
        guard let value = T(rawValue: text.uppercased()) else {
            throw .validation([FieldError(field: name, message: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")])
        }
        return value
    }
}
