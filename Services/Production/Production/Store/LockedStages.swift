import Contracts
import Foundation
import ServiceKit

/// The SPKs a batch of daily inputs names, each with its order's previous stage and the order's start, as
/// `SPKRepository.lockAll` locked them; the batch applies its entries to them in memory, in order.
struct LockedStages {
    var byId: [UUID: SPK] = [:]
    var idOfCode: [String: UUID] = [:]
    var orderStart: [UUID: LocalDate] = [:]

    func id(of reference: String) -> UUID? {
        UUID(uuidString: reference) ?? idOfCode[RecordReference.code(reference)]
    }

    /// As `requireWithNeighbours` would find it, with the batch's changes so far.
    func neighbourhood(of id: UUID) -> SPKNeighbourhood? {
        guard let spk = byId[id] else { return nil }
        guard let order = spk.orderId, let sequence = spk.sequence else { return SPKNeighbourhood(spk: spk) }
        let previous = byId.values.first { $0.orderId == order && $0.sequence == sequence - 1 }
        return SPKNeighbourhood(previous: previous, spk: spk, orderStart: orderStart[order])
    }
}
