import Contracts
import Foundation
import ServiceKit

/// What the floor asks: which shift runs now, and a phone's sync.
struct FloorHandlers {
    let policy: ProductionPolicy
    let spks: any SPKRepository
    /// A change younger than this may still be committing behind a higher change number (see `settledCursor`).
    static let settleTime: TimeInterval = 15

    func currentShift(_ query: GetCurrentShift, _ context: MessageContext) async throws -> CurrentShift {
        ShiftCalendar.current(at: context.now, policy: policy)
    }

    /// The department's open SPKs (no cursor, or one from another department), or what changed since the cursor.
    func mobileSync(_ query: MobileSync, _ context: MessageContext) async throws -> MobileSyncResult {
        guard let department = context.actor?.department.flatMap(Department.init(rawValue:)) else {
            throw ErrorReply.forbidden("Syncing a phone needs a user with a production department.")
        }
        let now = context.now
        let shift = ShiftCalendar.current(at: now, policy: policy)
        let settledBefore = now.addingTimeInterval(-Self.settleTime)
        if let since = Self.position(query.since, department: department) {
            let rows = try await spks.changes(department: department, after: since, limit: MobileSync.maxChanges + 1, in: context)
            let page = rows.prefix(MobileSync.maxChanges)
            // Stop before the first change that may not have settled; it comes again next time.
            // (Every row is past `since`, so the cursor never goes back.)
            let unsettled = page.first { $0.spk.updatedAt >= settledBefore }.map { $0.sequence - 1 }
            let cursor = unsettled ?? page.last?.sequence ?? since
            return MobileSyncResult(
                cursor: Self.cursor(department, cursor), full: false, department: department,
                currentShift: shift, spks: page.map(\.spk), hasMore: rows.count > MobileSync.maxChanges)
        }
        let cursor = try await spks.settledCursor(department: department, settledBefore: settledBefore, in: context)
        return MobileSyncResult(
            cursor: Self.cursor(department, cursor), full: true, department: department, currentShift: shift,
            spks: try await spks.open(department: department, in: context), hasMore: false)
    }

    /// Cursors name their department, so a phone handed to another department starts afresh.
    static func cursor(_ department: Department, _ position: Int64) -> String { "\(department.rawValue):\(position)" }

    static func position(_ cursor: String?, department: Department) -> Int64? {
        guard let parts = cursor?.split(separator: ":"), parts.count == 2, parts[0] == department.rawValue,
            let position = Int64(parts[1]), position >= 0
        else { return nil }
        return position
    }
}
