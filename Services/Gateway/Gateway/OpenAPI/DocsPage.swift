import Foundation

/// `/docs`: the API document as one HTML page for a person — operations grouped by tag with their
/// roles, parameters, bodies and answers, then every schema — rendered from the same document
/// `/openapi.json` serves. Plain HTML and CSS, nothing loaded from elsewhere.
enum DocsPage {
    static func render(_ document: JSONValue) -> String {
        guard case .object(let paths)? = document["paths"] else { return "" }
        var byTag: [String: [(path: String, method: String, operation: JSONValue)]] = [:]
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            for (method, operation) in methods {
                let tag = operation["tags"].flatMap { if case .array(let tags) = $0 { tags.first?.stringValue } else { nil } } ?? "Other"
                byTag[tag, default: []].append((path, method, operation))
            }
        }
        let order = OpenAPIDocument.tags.map(\.name)
        let tags = byTag.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Stitch API</title><style>
            body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d2430}
            h2{border-bottom:2px solid #dde3ea;padding-top:1rem}nav a{margin-right:1rem}
            details{border:1px solid #dde3ea;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
            summary{cursor:pointer}code{background:#f3f5f8;padding:0 .2rem;border-radius:3px}
            .m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
            .get{color:#1a6fb0}.post{color:#23813a}.put{color:#a26a00}.delete{color:#b3261e}
            table{border-collapse:collapse;margin:.3rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid #eef1f4;text-align:left;vertical-align:top}
            .req{color:#b3261e}.muted{color:#5b6675}
            </style></head><body><h1>Stitch API</h1>
            <p>\(escape(document["info"]?["description"]?.stringValue ?? ""))</p>
            <p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Sign in with
            <code>POST /api/v1/auth/login</code>, then send <code>Authorization: Bearer &lt;access_token&gt;</code>.</p>
            <nav>\(tags.map { "<a href=\"#\(anchor($0))\">\(escape($0))</a>" }.joined()) <a href="#schemas">Schemas</a></nav>
            """
        for tag in tags {
            html += "<h2 id=\"\(anchor(tag))\">\(escape(tag))</h2>"
            for entry in byTag[tag, default: []].sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
                html += operationHTML(entry.path, entry.method, entry.operation)
            }
        }
        html += "<h2 id=\"schemas\">Schemas</h2>"
        if case .object(let schemas)? = document["components"]?["schemas"] {
            for name in schemas.keys.sorted() {
                html +=
                    "<details id=\"schema-\(anchor(name))\"><summary><code>\(escape(name))</code></summary>\(schemaTable(schemas[name]!))</details>"
            }
        }
        return html + "</body></html>"
    }

    private static func operationHTML(_ path: String, _ method: String, _ operation: JSONValue) -> String {
        var html =
            "<details><summary><span class=\"m \(method)\">\(method)</span> <code>\(escape(path))</code> — "
            + "\(escape(operation["summary"]?.stringValue ?? ""))</summary>"
        html += "<p class=\"muted\">\(escape(operation["description"]?.stringValue ?? ""))</p>"
        if case .array(let parameters)? = operation["parameters"], !parameters.isEmpty {
            html += "<table><tr><th>Parameter</th><th>In</th><th>Schema</th></tr>"
            for parameter in parameters {
                let required = parameter["required"] == .bool(true) ? " <span class=\"req\">required</span>" : ""
                html +=
                    "<tr><td><code>\(escape(parameter["name"]?.stringValue ?? ""))</code>\(required)</td>"
                    + "<td>\(escape(parameter["in"]?.stringValue ?? ""))</td><td>\(describe(parameter["schema"] ?? [:]))</td></tr>"
            }
            html += "</table>"
        }
        if case .object(let content)? = operation["requestBody"]?["content"] {
            for (media, body) in content { html += "<p>Body (<code>\(escape(media))</code>): \(describe(body["schema"] ?? [:]))</p>" }
        }
        if case .object(let responses)? = operation["responses"] {
            html += "<table><tr><th>Answer</th><th></th></tr>"
            for code in responses.keys.sorted() {
                let response = responses[code]!
                let schema = response["content"]?["application/json"]?["schema"].map(describe) ?? ""
                html += "<tr><td><code>\(code)</code></td><td>\(escape(response["description"]?.stringValue ?? "")) \(schema)</td></tr>"
            }
            html += "</table>"
        }
        return html + "</details>"
    }

    private static func schemaTable(_ schema: JSONValue) -> String {
        guard case .object(let properties)? = schema["properties"] else { return describe(schema) }
        let required: Set<String> = if case .array(let names)? = schema["required"] { Set(names.compactMap(\.stringValue)) } else { [] }
        var html = "<table><tr><th>Field</th><th>Schema</th></tr>"
        for name in properties.keys.sorted() {
            let mark = required.contains(name) ? " <span class=\"req\">required</span>" : ""
            html += "<tr><td><code>\(escape(name))</code>\(mark)</td><td>\(describe(properties[name]!))</td></tr>"
        }
        return html + "</table>"
    }

    /// A schema in a few words: its type, format, enum, bounds, or a link to the named schema.
    static func describe(_ schema: JSONValue) -> String {
        if let target = schema["$ref"]?.stringValue {
            let name = String(target.split(separator: "/").last ?? "")
            return "<a href=\"#schema-\(anchor(name))\">\(escape(name))</a>"
        }
        var words: [String] = []
        if let type = schema["type"]?.stringValue {
            if type == "array" { return "array of " + describe(schema["items"] ?? [:]) }
            if type == "object", let properties = schema["properties"] {
                return schemaTable(["properties": properties, "required": schema["required"] ?? []])
            }
            if type == "object", let values = schema["additionalProperties"] { return "object of " + describe(values) }
            words.append(type)
        }
        if let format = schema["format"]?.stringValue { words.append("(\(format))") }
        if case .array(let values)? = schema["enum"] { words.append("one of " + values.compactMap(\.stringValue).joined(separator: ", ")) }
        for (key, label) in [("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("maxLength", "length ≤"), ("multipleOf", "step")] {
            if let value = schema[key] { words.append("\(label) \(plain(value))") }
        }
        return escape(words.joined(separator: " "))
    }

    private static func plain(_ value: JSONValue) -> String {
        switch value {
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        default: ""
        }
    }

    static func anchor(_ text: String) -> String { text.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
