import Foundation
import PostgresNIO

/// People and apps name records by id or by code (`SPK-…`, `MOD-…`, in any case).
public enum RecordReference {
    /// The column to match and its bind: `idColumn` for a UUID, `codeColumn` (upper-cased) otherwise.
    public static func idOrCode(_ reference: String, idColumn: String, codeColumn: String = "code") throws
        -> (column: String, binds: PostgresBindings) {
        var binds = PostgresBindings()
        if let id = UUID(uuidString: reference) {
            try binds.append(id)
            return (idColumn, binds)
        }
        try binds.append(reference.uppercased())
        return (codeColumn, binds)
    }
}
