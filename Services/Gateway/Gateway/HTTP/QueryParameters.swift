import Contracts
import Hummingbird

/// The query string as names and values (the last value of a repeated name); `QueryDecoder` types them.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }
}
