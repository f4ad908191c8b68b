import Contracts
import Foundation

/// What a request is checked against: the SPK as Production has it at submission. Approval keeps
/// no copy (that cost a transaction per daily input and lagged behind the latest input).
struct SPKFacts: Sendable {
    var id: UUID
    var code: String
    var originalQty: Int
    var targetQty: Int
    var producedQty: Int
    var status: String

    init(id: UUID, code: String, originalQty: Int, targetQty: Int, producedQty: Int, status: String) {
        self.id = id
        self.code = code
        self.originalQty = originalQty
        self.targetQty = targetQty
        self.producedQty = producedQty
        self.status = status
    }

    init(_ spk: SPK) {
        self.init(
            id: spk.id, code: spk.code, originalQty: spk.originalQty, targetQty: spk.targetQty,
            producedQty: spk.producedQty, status: spk.status.rawValue)
    }
}
