import Contracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit

/// Incoming inspection: a material receipt Warehouse held in QUARANTINE is inspected; a pass releases
/// it (Warehouse moves it on), a failure keeps it there and opens an NCR.
struct IncomingHandlers {
    let settings: QualitySettings

    func held(_ event: MaterialReceiptHeld, _ context: MessageContext) async throws {
        let store = QualityStore(connection: context.connection, logger: context.logger)
        if try await store.incoming(event.movementId.uuidString) != nil { return }
        let at = settings.now()
        let inspection = IncomingInspection(
            id: UUID(), code: try await store.nextCode(prefix: "II", day: LocalDate.of(at, in: settings.timeZone)), movementId: event.movementId,
            materialCode: event.materialCode, category: event.category, qty: event.qty, releaseTo: event.releaseTo, reference: event.reference,
            status: .open, openedAt: at)
        try await store.insert(inspection)
        try await context.audit("incoming_inspection", inspection.code, "open", before: IncomingInspection?.none, after: inspection)
    }

    func list(_ query: ListIncomingInspections, _ context: MessageContext) async throws -> Page<IncomingInspection> {
        _ = try context.require(Role.allCases, to: "Reading incoming inspections", servicesPass: true)
        return try await QualityStore(connection: context.connection, logger: context.logger).incoming(status: query.status, page: query.page)
    }

    func result(_ command: RecordIncomingResult, _ context: MessageContext) async throws -> IncomingInspection {
        let actor = try context.require(QualityPermissions.inspect, to: "Recording an incoming inspection")
        let store = QualityStore(connection: context.connection, logger: context.logger)
        guard let before = try await store.incoming(command.inspection, lock: true) else {
            throw ErrorReply.notFound("Incoming inspection \(command.inspection)")
        }
        guard before.status == .open else { throw ErrorReply.conflict("\(before.code) was already inspected: \(before.status.rawValue).") }
        var inspection = before
        inspection.notes = command.notes
        inspection.inspectedBy = actor.username
        inspection.inspectedAt = settings.now()
        switch command.result {
        case .pass:
            inspection.status = .passed
            try await store.update(inspection)
            try await context.publish(IncomingInspectionPassed(inspection: inspection))
        case .fail:
            inspection.status = .failed
            let qty = NSDecimalNumber(decimal: before.qty).doubleValue
            let ncr = try await NCRHandlers(settings: settings).open(
                title: "Incoming inspection \(before.code) failed: \(before.materialCode) \(before.qty) (\(before.reference ?? "no reference"))",
                articleCode: nil, orderCode: nil, inspectionCode: before.code, stage: nil,
                qty: Int(min(max(qty.rounded(.up), 1), Double(InputRules.quantity.upperBound))), notes: command.notes,
                materialCode: before.materialCode, context)
            inspection.ncrCode = ncr.code
            try await store.update(inspection)
            try await context.publish(IncomingInspectionFailed(inspection: inspection))
        }
        try await context.audit("incoming_inspection", inspection.code, command.result.rawValue.lowercased(), before: before, after: inspection)
        return inspection
    }

    /// The warehouse could not put a verdict into effect (a passed receipt not released, a failed lot's cartons
    /// not quarantined): the inspection says why, for QC and the warehouse to put right.
    func stockRefused(_ event: InspectionStockRefused, _ context: MessageContext) async throws {
        let store = QualityStore(connection: context.connection, logger: context.logger)
        if let before = try await store.incoming(event.inspectionCode, lock: true) {
            var inspection = before
            inspection.stockNote = event.reason
            try await store.update(inspection)
            try await context.audit("incoming_inspection", inspection.code, "stock-refused", before: before, after: inspection)
        } else if let before = try await store.inspection(event.inspectionCode, lock: true) {
            var inspection = before
            inspection.stockNote = event.reason
            try await store.update(inspection)
            try await context.audit("inspection", inspection.code, "stock-refused", before: before, after: inspection)
        }
    }
}

extension QualityStore {
    func insert(_ inspection: IncomingInspection) async throws {
        try await connection.query(
            """
            INSERT INTO incoming_inspections (id, code, movement_id, status, opened_at, document)
            VALUES (\(inspection.id), \(inspection.code), \(inspection.movementId), \(inspection.status.rawValue), \(inspection.openedAt),
                    \(try Self.json(inspection))::jsonb)
            """, logger: logger)
    }

    func update(_ inspection: IncomingInspection) async throws {
        try await connection.query(
            """
            UPDATE incoming_inspections SET status = \(inspection.status.rawValue), document = \(try Self.json(inspection))::jsonb
            WHERE id = \(inspection.id)
            """, logger: logger)
    }

    /// By id, code or the held RECEIPT's movement id.
    func incoming(_ reference: String, lock: Bool = false) async throws -> IncomingInspection? {
        var binds = PostgresBindings()
        let condition: String
        if let id = UUID(uuidString: reference) {
            binds.append(id)
            condition = "id = $1 OR movement_id = $1"
        } else {
            binds.append(reference.trimmingCharacters(in: .whitespaces).uppercased())
            condition = "code = $1"
        }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT document::text FROM incoming_inspections WHERE \(condition)\(lock ? " FOR UPDATE" : "")", binds: binds),
            logger: logger)
        for try await document in rows.decode(String.self) {
            return try StitchJSON.decode(IncomingInspection.self, from: Array(document.utf8))
        }
        return nil
    }

    func incoming(status: InspectionStatus?, page: PageRequest) async throws -> Page<IncomingInspection> {
        let statuses = status.map { [$0.rawValue] } ?? InspectionStatus.allCases.map(\.rawValue)
        var total = 0
        for try await count in try await connection.query(
            "SELECT count(*)::bigint FROM incoming_inspections WHERE status = ANY(\(statuses))", logger: logger
        ).decode(Int.self) {
            total = count
        }
        var items: [IncomingInspection] = []
        for try await document in try await connection.query(
            """
            SELECT document::text FROM incoming_inspections WHERE status = ANY(\(statuses)) ORDER BY opened_at DESC, code DESC
            LIMIT \(page.perPage) OFFSET \(page.offset)
            """, logger: logger
        ).decode(String.self) {
            items.append(try StitchJSON.decode(IncomingInspection.self, from: Array(document.utf8)))
        }
        return Page(items: items, page: page.page, perPage: page.perPage, total: total)
    }
}
