import Contracts
import Foundation

/// REGISTERED → RECEIVED → VERIFIED → CONFIRMED → SHIPPED, and → QUARANTINED at verification. Pure.
enum CartonLifecycle {
    enum Decision: Equatable {
        /// Do the step.
        case proceed
        /// The same step again (a double scan): answer with the carton as it is.
        case repeated
        case conflict(String)
    }

    static func decide(_ status: CartonStatus, step: CartonStep) -> Decision {
        switch (step, status) {
        case (.receive, .registered), (.verify, .received), (.confirm, .verified): return .proceed
        case (.receive, .received), (.verify, .verified), (.verify, .quarantined), (.confirm, .confirmed): return .repeated
        default: return .conflict("The carton is \(status.rawValue); it cannot be \(past(step)) now.")
        }
    }

    static func canShip(_ status: CartonStatus) -> Bool { status == .confirmed }

    private static func past(_ step: CartonStep) -> String {
        switch step {
        case .receive: "received"
        case .verify: "verified"
        case .confirm: "confirmed"
        }
    }

    /// Confirming a carton whose stock is held at `at` (QUARANTINE, after a release): the registered units
    /// TRANSFER to `to`; counted more is an FG_RECEIPT of the extra, counted less an ADJUSTMENT of the missing out of `at`.
    static func confirmFromHold(item: ItemCopy, registered: Int, counted: Int, at: String, to: String, sscc: String, discrepancy: String?)
        -> [NewMovement]
    {
        var moves: [NewMovement] = []
        let moved = min(registered, counted)
        if moved > 0 {
            moves.append(
                NewMovement(
                    type: .transfer, item: item, qty: Decimal(moved), from: at, to: to, reference: sscc,
                    reason: discrepancy ?? "released carton confirmed"))
        }
        if counted > registered {
            moves.append(
                NewMovement(
                    type: .fgReceipt, item: item, qty: Decimal(counted - registered), from: nil, to: to, reference: sscc,
                    reason: discrepancy))
        } else if counted < registered {
            moves.append(
                NewMovement(
                    type: .adjustment, item: item, qty: Decimal(registered - counted), from: at, to: nil, reference: sscc,
                    reason: discrepancy ?? "counted less than registered"))
        }
        return moves
    }

    /// A counted quantity that differs from the registered one needs a reason; returns the discrepancy text.
    static func confirmation(registered: Int, counted: Int?, reason: String?) throws(ErrorReply) -> (qty: Int, discrepancy: String?) {
        let qty = counted ?? registered
        guard qty != registered else { return (qty, nil) }
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw .validation([.init(field: "reason", message: "is required when qty (\(qty)) differs from the registered \(registered)")])
        }
        return (qty, "counted \(qty), registered \(registered): \(reason)")
    }
}

/// `DN-YYYYMMDD-NNNN`: the day's n-th delivery note.
enum DeliveryNoteNumber {
    static func code(day: LocalDate, sequence: Int) -> String {
        "DN-\(day.description.replacingOccurrences(of: "-", with: ""))-\(String(repeating: "0", count: max(0, 4 - String(sequence).count)))\(sequence)"
    }
}

/// The printable label of a carton: ZPL for a Zebra printer and the same as plain text.
enum CartonLabel {
    static func zpl(sscc: String, article: String, qty: Int, spk: String, order: String?) -> String {
        """
        ^XA
        ^CF0,40^FO50,40^FDSTITCH FINISHED GOODS^FS
        ^CF0,30^FO50,100^FDArticle: \(article)^FS
        ^FO50,140^FDQty: \(qty)^FS
        ^FO50,180^FDSPK: \(spk)\(order.map { "  Order: \($0)" } ?? "")^FS
        ^BY3^FO50,240^BCN,150,Y,N,N^FD>;>800\(sscc)^FS
        ^XZ
        """
    }

    static func text(sscc: String, article: String, qty: Int, spk: String, order: String?) -> String {
        """
        STITCH FINISHED GOODS
        Article: \(article)
        Qty: \(qty)
        SPK: \(spk)\(order.map { "\nOrder: \($0)" } ?? "")
        SSCC: \(SSCC.humanReadable(sscc))
        """
    }
}
