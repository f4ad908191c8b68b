import Contracts
import Messaging
import Synchronization

/// The records other services own, answered from memory on an in-memory bus: a unit test's Production
/// (`GetSPK`, by id or code) and BOMFinance (`GetMaterial`; `GetArticle` knows none), so a handler that asks
/// them runs without a broker. Unknown records are 404, as their owners answer.
public final class InMemoryOwners: Sendable {
    public let bus = InMemoryMessageBus()
    public let spks = Mutex<[SPK]>([])
    public let materials = Mutex<[Material]>([])

    public init() {
        // Unowned: the bus is this object's own, so it never answers after it is gone.
        bus.answer(GetSPK.self) { [unowned self] query throws(ErrorReply) in
            guard let spk = self.spks.withLock({ $0.first { RecordReference.names(query.spk, id: $0.id, code: $0.code) } }) else {
                throw .notFound("SPK \(query.spk)")
            }
            return spk
        }
        bus.answer(GetMaterial.self) { [unowned self] query throws(ErrorReply) in
            guard let material = self.materials.withLock({ $0.first { $0.code == query.code } }) else { throw .notFound("Material \(query.code)") }
            return material
        }
        bus.answer(GetArticle.self) { query throws(ErrorReply) in throw .notFound("Article \(query.code)") }
    }
}
