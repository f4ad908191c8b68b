import Contracts
import Foundation
import Messaging
import ServiceKit

/// Finished-goods cartons: registered by the packing line, then received, verified, confirmed and shipped.
struct CartonHandlers {
    let settings: WarehouseSettings
    let repositories: WarehouseRepositories
    let gate: QualityGate

    static let packingLine: [Role] = [.productionSupervisor, .productionManager, .manager, .admin]

    func register(_ command: RegisterCarton, _ context: MessageContext) async throws -> Carton {
        guard let actor = context.actor,
            actor.hasAny(Self.packingLine) || (actor.has(.productionStaff) && actor.department == Department.packing.rawValue)
        else { throw ErrorReply.forbidden("Cartons are registered by the packing line (PRODUCTION_STAFF of PACKING and above).") }
        let spk = try await IssueHandlers.production(GetSPK(spk: command.spk), field: "spk", context)
        let article = try await Items(repositories.items, context).require(command.articleCode, kind: .article, field: "article_code")
        guard spk.articleCode.uppercased() == article.code else {
            throw ErrorReply.rule(
                "\(spk.code) makes \(spk.articleCode), not \(article.code).",
                details: [.init(field: "article_code", message: "must be \(spk.articleCode), the SPK's article")])
        }
        let store = repositories.cartons
        let sscc: String
        do {
            sscc = try SSCC.make(companyPrefix: settings.companyPrefix, serial: try await store.nextSerial(in: context))
        } catch {
            throw ErrorReply(.internalError, "No SSCC can be made (\(error)): check STITCH_GS1_COMPANY_PREFIX.")
        }
        let at = context.now
        let carton = Carton(
            id: UUID(), sscc: sscc, spkCode: spk.code, orderCode: spk.orderCode, articleCode: article.code, qty: command.qty,
            status: .registered, location: nil, confirmedQty: nil, discrepancy: nil, deliveryNote: nil, registeredBy: actor.username,
            registeredAt: at, updatedAt: at,
            labelZpl: CartonLabel.zpl(sscc: sscc, article: article.code, qty: command.qty, spk: spk.code, order: spk.orderCode),
            labelText: CartonLabel.text(sscc: sscc, article: article.code, qty: command.qty, spk: spk.code, order: spk.orderCode))
        try await store.insert(carton, in: context)
        try await context.audit("carton", sscc, "register", before: String?.none, after: carton)
        return carton
    }

    func scan(_ command: ScanCarton, _ context: MessageContext) async throws -> Carton {
        _ = try context.require(StockRules.operators, to: "Scanning cartons")
        let store = repositories.cartons
        let carton = try await find(command.cartonId, barcode: command.barcode, context)
        if command.step == .confirm, carton.status != .confirmed {
            // Before the lifecycle: a carton of a lot that has not passed hears which lot holds it.
            try await gate.requirePassed(carton, required: settings.requireFinalInspection, context)
        }
        switch CartonLifecycle.decide(carton.status, step: command.step) {
        case .repeated: return carton
        case .conflict(let message): throw ErrorReply.conflict("\(carton.sscc): \(message)")
        case .proceed: break
        }
        var next = carton
        next.updatedAt = context.now
        let ledger = repositories.ledger
        switch command.step {
        case .receive:
            next.status = .received
        case .verify:
            guard let found = StockRules.normalizedCode(command.article) else {
                throw ErrorReply.validation([.init(field: "article", message: "is required: the article found in the carton")])
            }
            if found == carton.articleCode {
                next.status = .verified
            } else {
                guard let quarantine = try await ledger.first(.quarantine, in: context) else {
                    throw ErrorReply.rule("There is no QUARANTINE location.")
                }
                let item = try await Items(repositories.items, context).require(carton.articleCode, kind: .article, field: "article")
                _ = try await Ledger(ledger, context).post([
                    NewMovement(
                        type: .fgReceipt, item: item, qty: Decimal(carton.qty), from: nil, to: quarantine.code, reference: carton.sscc,
                        reason: "quarantined: registered \(carton.articleCode), found \(found)")
                ])
                next.status = .quarantined
                next.location = quarantine.code
                next.discrepancy = "registered \(carton.articleCode), found \(found)"
                try await context.publish(CartonQuarantined(carton: next))
            }
        case .confirm:
            let (qty, discrepancy) = try CartonLifecycle.confirmation(registered: carton.qty, counted: command.qty, reason: command.reason)
            guard let finished = try await ledger.first(.finishedGoods, in: context) else {
                throw ErrorReply.rule("There is no FINISHED_GOODS location.")
            }
            if let held = carton.location {
                // Released from QUARANTINE (re-inspection passed, or a concession): its stock moves from there.
                let item = try await Items(repositories.items, context).require(carton.articleCode, kind: .article, field: "carton_id")
                _ = try await Ledger(ledger, context).post(
                    CartonLifecycle.confirmFromHold(
                        item: item, registered: carton.qty, counted: qty, at: held,
                        to: finished.code, sscc: carton.sscc, discrepancy: discrepancy))
            } else if qty > 0 {
                let item = try await Items(repositories.items, context).require(carton.articleCode, kind: .article, field: "carton_id")
                _ = try await Ledger(ledger, context).post([
                    NewMovement(
                        type: .fgReceipt, item: item, qty: Decimal(qty), from: nil, to: finished.code,
                        reference: carton.sscc, reason: discrepancy)
                ])
            }
            next.status = .confirmed
            next.location = finished.code
            next.confirmedQty = qty
            next.discrepancy = discrepancy
            try await context.publish(
                CartonConfirmed(
                    cartonId: carton.id, sscc: carton.sscc, articleCode: carton.articleCode, qty: qty,
                    registeredQty: carton.qty, spkCode: carton.spkCode, orderCode: carton.orderCode,
                    discrepancy: discrepancy, occurredAt: next.updatedAt))
        }
        try await store.update(next, in: context)
        try await context.audit("carton", carton.sscc, command.step.rawValue, before: String?.none, after: next)
        // As stored (timestamps at the database's precision), so a repeated scan answers exactly the same.
        return try await store.find(carton.id.uuidString, in: context) ?? next
    }

    func get(_ query: GetCarton, _ context: MessageContext) async throws -> Carton {
        guard let carton = try await repositories.cartons.find(query.carton, in: context) else {
            throw ErrorReply.notFound("Carton \(query.carton)")
        }
        return carton
    }

    func ship(_ command: ShipCartons, _ context: MessageContext) async throws -> DeliveryNote {
        let actor = try context.require(StockRules.operators, to: "Shipping")
        var problems: [FieldError] = []
        let destination = command.destination.trimmingCharacters(in: .whitespaces)
        let method = command.method.trimmingCharacters(in: .whitespaces)
        if destination.isEmpty { problems.append(.init(field: "destination", message: "is required")) }
        if method.isEmpty { problems.append(.init(field: "method", message: "is required")) }
        if command.cartons.isEmpty { problems.append(.init(field: "cartons", message: "name at least one carton")) }
        if !problems.isEmpty { throw ErrorReply.validation(problems) }
        let store = repositories.cartons
        var cartons: [Carton] = []
        for (index, reference) in command.cartons.enumerated() {
            let carton = try await find(reference, barcode: nil, field: "cartons[\(index)]", context)
            if cartons.contains(where: { $0.id == carton.id }) { continue }
            guard CartonLifecycle.canShip(carton.status) else {
                throw ErrorReply.conflict(
                    "\(carton.sscc) is \(carton.status.rawValue)\(carton.deliveryNote.map { " on \($0)" } ?? ""); only CONFIRMED cartons ship.")
            }
            cartons.append(carton)
        }
        let at = context.now
        let code = DeliveryNoteNumber.code(
            day: LocalDate.of(at, in: settings.timeZone),
            sequence: try await repositories.ledger.nextCode(
                prefix: "DN", day: LocalDate.of(at, in: settings.timeZone),
                in: context))
        var moves: [NewMovement] = []
        for carton in cartons where (carton.confirmedQty ?? 0) > 0 {
            let item = try await Items(repositories.items, context).require(carton.articleCode, kind: .article, field: "cartons")
            moves.append(
                NewMovement(
                    type: .shipment, item: item, qty: Decimal(carton.confirmedQty ?? 0), from: carton.location, to: nil,
                    reference: code, reason: "\(carton.sscc) to \(destination)"))
        }
        _ = try await Ledger(repositories.ledger, context).post(moves)
        for var carton in cartons {
            carton.status = .shipped
            carton.deliveryNote = code
            carton.location = nil
            carton.updatedAt = at
            try await store.update(carton, in: context)
        }
        let note = DeliveryNote(
            code: code, destination: destination, method: method,
            cartons: cartons.map {
                PackingListLine(
                    cartonId: $0.id, sscc: $0.sscc, articleCode: $0.articleCode,
                    qty: $0.confirmedQty ?? 0)
            },
            shippedBy: actor.username, shippedAt: at)
        try await store.insert(note, in: context)
        try await context.publish(ShipmentDispatched(deliveryNote: note))
        try await context.audit("delivery_note", code, "ship", before: String?.none, after: note)
        return note
    }

    func deliveryNote(_ query: GetDeliveryNote, _ context: MessageContext) async throws -> DeliveryNote {
        guard let note = try await repositories.cartons.deliveryNote(query.code, in: context) else {
            throw ErrorReply.notFound("Delivery note \(query.code)")
        }
        return note
    }

    /// Goods back from a customer into RETURNS, then restocked into FINISHED_GOODS, scrapped, or left for rework.
    func receiveReturn(_ command: ReceiveCustomerReturn, _ context: MessageContext) async throws -> CustomerReturn {
        let actor = try context.require(StockRules.operators, to: "Receiving returns")
        let (store, ledger) = (repositories.cartons, repositories.ledger)
        guard let note = try await store.deliveryNote(command.deliveryNote, in: context) else {
            throw ErrorReply.rule(
                "There is no delivery note \(command.deliveryNote).",
                details: [.init(field: "delivery_note", message: "unknown delivery note")])
        }
        guard let returns = try await ledger.first(.returns, in: context), let finished = try await ledger.first(.finishedGoods, in: context) else {
            throw ErrorReply.rule("RETURNS and FINISHED_GOODS locations are needed.")
        }
        var shipped: [String: Int] = [:]
        for line in note.cartons { shipped[line.articleCode, default: 0] += line.qty }
        var returned = try await store.returned(deliveryNote: note.code, in: context)
        var lines: [ReturnedLine] = []
        var problems: [FieldError] = []
        for (index, line) in command.lines.enumerated() {
            let field = "lines[\(index)]"
            let reason = line.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.isEmpty {
                problems.append(.init(field: "\(field).reason", message: "is required"))
                continue
            }
            var article = StockRules.normalizedCode(line.article)
            var cartonId: UUID?
            if let reference = line.carton {
                guard
                    let packed = note.cartons.first(where: { $0.cartonId.uuidString.lowercased() == reference.lowercased() || $0.sscc == reference })
                else {
                    problems.append(.init(field: "\(field).carton", message: "was not shipped on \(note.code)"))
                    continue
                }
                article = packed.articleCode
                cartonId = packed.cartonId
            }
            guard let article else {
                problems.append(.init(field: "\(field).article", message: "name a carton or an article"))
                continue
            }
            let left = (shipped[article] ?? 0) - (returned[article] ?? 0)
            guard line.qty <= left else {
                problems.append(
                    .init(field: "\(field).qty", message: "only \(max(left, 0)) of \(article) shipped on \(note.code) are not returned yet"))
                continue
            }
            returned[article, default: 0] += line.qty
            lines.append(ReturnedLine(articleCode: article, cartonId: cartonId, qty: line.qty, reason: reason))
        }
        if !problems.isEmpty { throw ErrorReply.rule("The return does not match \(note.code).", details: problems) }
        var moves: [NewMovement] = []
        for line in lines {
            let item = try await Items(repositories.items, context).require(line.articleCode, kind: .article, field: "lines")
            let qty = Decimal(line.qty)
            moves.append(
                NewMovement(
                    type: .customerReturn, item: item, qty: qty, from: nil, to: returns.code, reference: note.code,
                    reason: line.reason))
            switch command.disposition {
            case .restock:
                moves.append(
                    NewMovement(
                        type: .transfer, item: item, qty: qty, from: returns.code, to: finished.code, reference: note.code,
                        reason: "customer return restocked"))
            case .scrap:
                moves.append(
                    NewMovement(
                        type: .scrap, item: item, qty: qty, from: returns.code, to: nil, reference: note.code,
                        reason: "customer return scrapped: \(line.reason)"))
            case .rework:
                break  // stays in RETURNS until rework takes it
            }
        }
        _ = try await Ledger(ledger, context).post(moves)
        let record = CustomerReturn(
            id: UUID(), deliveryNote: note.code, disposition: command.disposition, lines: lines,
            receivedBy: actor.username, receivedAt: context.now)
        try await store.insert(record, in: context)
        try await context.publish(CustomerReturnReceived(customerReturn: record))
        try await context.audit(
            "customer_return", record.id.uuidString, command.disposition.rawValue.lowercased(), before: String?.none, after: record)
        return record
    }

    /// The carton a scan names: by id, or by barcode (a valid SSCC of a registered carton). Either
    /// unknown is a 422 naming the field.
    private func find(_ id: String?, barcode: String?, field: String? = nil, _ context: MessageContext) async throws -> Carton {
        let store = repositories.cartons
        if let barcode = barcode?.nilIfEmpty {
            guard let sscc = SSCC.fromBarcode(barcode) else {
                throw ErrorReply.rule(
                    "\(barcode) is not a valid SSCC-18.",
                    details: [.init(field: "barcode", message: "is not a valid SSCC-18 (18 digits, GS1 check digit)")])
            }
            guard let carton = try await store.find(sscc, lock: true, in: context) else {
                throw ErrorReply.rule(
                    "No carton is registered with SSCC \(sscc).", details: [.init(field: "barcode", message: "no registered carton")])
            }
            return carton
        }
        guard let id = id?.trimmingCharacters(in: .whitespaces).nilIfEmpty else {
            throw ErrorReply.validation([.init(field: "carton_id", message: "name carton_id or barcode")])
        }
        let reference = SSCC.fromBarcode(id) ?? id
        guard let carton = try await store.find(reference, lock: true, in: context) else {
            throw ErrorReply.rule("There is no carton \(id).", details: [.init(field: field ?? "carton_id", message: "unknown carton")])
        }
        return carton
    }
}
