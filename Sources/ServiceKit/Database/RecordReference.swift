import Contracts
import Foundation
import Logging
import PostgresNIO

/// People and apps name records by id or by code (`SPK-…`, `MOD-…`, in any case, stray spaces around).
public enum RecordReference {
    /// The column to match and its bind: `idColumn` for a UUID, `codeColumn` (trimmed, upper-cased) otherwise.
    public static func idOrCode(_ reference: String, idColumn: String, codeColumn: String = "code") throws
        -> (column: String, binds: PostgresBindings)
    {
        var binds = PostgresBindings()
        if let id = UUID(uuidString: reference) {
            binds.append(id)
            return (idColumn, binds)
        }
        binds.append(code(reference))
        return (codeColumn, binds)
    }

    /// A reference that is no UUID as the code it names: trimmed, upper-cased.
    public static func code(_ reference: String) -> String {
        reference.trimmingCharacters(in: .whitespaces).uppercased()
    }

    /// Whether `reference` names the record with `id` and `code`, as `idOrCode` matches it (for in-memory repositories).
    public static func names(_ reference: String, id: UUID, code: String) -> Bool {
        if let uuid = UUID(uuidString: reference) { return uuid == id }
        return self.code(reference) == code
    }
}

extension PostgresConnection {
    /// The JSON `document` column of `table`'s row that `reference` names (its `id`, or its
    /// `codeColumn`), decoded as `T`; nil when there is none. `lock` takes the row FOR UPDATE, so
    /// two commands on one record take turns. For stores that keep a record as one JSON document.
    public func document<T: Decodable>(
        _ type: T.Type, in table: String, reference: String, codeColumn: String = "code",
        lock: Bool = false, logger: Logger
    ) async throws -> T? {
        let (column, binds) = try RecordReference.idOrCode(reference, idColumn: "id", codeColumn: codeColumn)
        let rows = try await query(
            PostgresQuery(
                unsafeSQL: "SELECT document::text FROM \(table) WHERE \(column) = $1\(lock ? " FOR UPDATE" : "")", binds: binds), logger: logger)
        for try await document in rows.decode(String.self) { return try StitchJSON.decode(T.self, from: Array(document.utf8)) }
        return nil
    }
}
