import Contracts
import Foundation
import ServiceKit

/// The warehouse's settings, read once from the environment in the executable.
public struct WarehouseSettings: Sendable {
    /// The factory's GS1 company prefix (7–10 digits), the start of every SSCC it prints.
    public var companyPrefix: String
    /// What "today" is for delivery-note numbers.
    public var timeZone: TimeZone
    /// A carton enters FINISHED_GOODS only through a PASSED final-inspection lot. Off: a carton in no lot
    /// may be confirmed (a carton in a lot still waits for its lot to pass).
    public var requireFinalInspection: Bool
    /// Material categories whose RECEIPT lands in QUARANTINE until Quality's incoming inspection passes.
    public var inspectOnReceipt: Set<MaterialCategory>

    public init(
        companyPrefix: String = "8991234", timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!,
        requireFinalInspection: Bool = false, inspectOnReceipt: Set<MaterialCategory> = []
    ) {
        self.companyPrefix = companyPrefix
        self.timeZone = timeZone
        self.requireFinalInspection = requireFinalInspection
        self.inspectOnReceipt = inspectOnReceipt
    }

    /// | variable | default |
    /// |---|---|
    /// | `STITCH_GS1_COMPANY_PREFIX` | 8991234 (7–10 digits) |
    /// | `STITCH_FACTORY_TIMEZONE` | Asia/Jakarta |
    /// | `STITCH_REQUIRE_FINAL_INSPECTION` | false (true: no carton is confirmed without a PASSED lot) |
    /// | `STITCH_INSPECT_ON_RECEIPT` | none (comma-separated material categories, e.g. FABRIC,FILLING) |
    public init(environment: EnvironmentReader) throws {
        let prefix = try environment.string("STITCH_GS1_COMPANY_PREFIX", default: "8991234")
        guard (7...10).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ConfigurationError("STITCH_GS1_COMPANY_PREFIX must be 7 to 10 digits; got \"\(prefix)\"")
        }
        var categories: Set<MaterialCategory> = []
        for name in try environment.string("STITCH_INSPECT_ON_RECEIPT", default: "").split(separator: ",")
            .map({ $0.trimmingCharacters(in: .whitespaces).uppercased() }) where !name.isEmpty && name != "NONE"
        {
            guard let category = MaterialCategory(rawValue: name) else {
                throw ConfigurationError(
                    "STITCH_INSPECT_ON_RECEIPT: \"\(name)\" is not a material category (\(MaterialCategory.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            categories.insert(category)
        }
        self.init(
            companyPrefix: prefix, timeZone: try environment.timeZone("STITCH_FACTORY_TIMEZONE", default: "Asia/Jakarta"),
            requireFinalInspection: try environment.bool("STITCH_REQUIRE_FINAL_INSPECTION", default: false),
            inspectOnReceipt: categories)
    }
}
