import Contracts
import Foundation
import ServiceKit

@testable import Approval

/// Approval's handlers on in-memory repositories, with Production and BOMFinance answered from memory:
/// no broker, no database. The clock stands at 2026-03-01 10:00 in Jakarta.
final class ApprovalFixture: Sendable {
    static let now = Date(timeIntervalSince1970: 1_772_334_000)

    let repositories = ApprovalRepositories.inMemory()
    let handlers: ApprovalHandlers
    /// Production and BOMFinance, answering from memory.
    let owners = InMemoryOwners()
    let environment = ServiceEnvironment(verifier: .trustingUnsigned, now: { ApprovalFixture.now })

    let supervisor = Actor(userId: "u-spv", username: "spv_sewing", roles: ["PRODUCTION_SPV"], department: "SEWING")
    let productionManager = Actor(userId: "u-pm", username: "prod_manager", roles: ["PRODUCTION_MANAGER"])
    let manager = Actor(userId: "u-mgr", username: "manager", roles: ["MANAGER"])
    let warehouseManager = Actor(userId: "u-wm", username: "wh_manager", roles: ["WAREHOUSE_MANAGER"])
    let staff = Actor(userId: "u-staff", username: "operator", roles: ["PRODUCTION_STAFF"], department: "SEWING")

    init() {
        handlers = ApprovalHandlers(timeZone: TimeZone(identifier: "Asia/Jakarta")!, repositories: repositories)
    }

    var approvals: InMemoryApprovalRepository { repositories.approvals as! InMemoryApprovalRepository }

    /// A message from `actor`, its effects recorded in `effects`.
    func context(_ actor: Actor?, _ effects: RecordedEffects = RecordedEffects()) -> MessageContext {
        .inMemory(actor: actor, environment: environment, effects: effects, service: "approval", bus: owners.bus)
    }

    /// An SPK Production knows: target 500 of 500, 100 produced, in progress.
    @discardableResult
    func spk(
        code: String = "SPK-20260301-0001", original: Int = 500, target: Int = 500, produced: Int = 100,
        status: SPKStatus = .inProgress
    ) -> SPK {
        let day = LocalDate(year: 2026, month: 3, day: 1)!
        let spk = SPK(
            id: UUID(), code: code, articleCode: "BEAR-01", stage: .sewing, department: .sewing, originalQty: original,
            targetQty: target, producedQty: produced, rejectQty: 0, progress: 0, status: status, startDate: day, dueDate: day,
            notes: nil, createdBy: "ppic", createdAt: Self.now, updatedAt: Self.now, version: 1)
        owners.spks.withLock { $0.append(spk) }
        return spk
    }

    /// A material BOMFinance owns.
    @discardableResult
    func material(_ code: String, unit: UnitOfMeasure, version: Int = 1) -> Material {
        let material = Material(
            code: code, name: code, category: .fabric, unit: unit, standardCost: nil, costEffectiveFrom: nil,
            active: true, version: version, updatedAt: Self.now)
        owners.materials.withLock { $0.append(material) }
        return material
    }

    /// A quantity change of `spk` to `newQty`, asked by the supervisor.
    func quantityChange(_ spk: SPK, to newQty: Int) async throws -> ApprovalRequest {
        try await handlers.requestQuantityChange(
            RequestQuantityChange(spk: spk.code, newQty: newQty, reason: "fabric short"),
            context(supervisor))
    }

    /// A material debt of `qty` of `material` for `spk`, asked by the supervisor.
    func materialDebt(_ spk: SPK, _ material: String = "FAB-RED", qty: Double = 12) async throws -> ApprovalRequest {
        try await handlers.requestMaterialDebt(
            RequestMaterialDebt(
                spkId: spk.id.uuidString, materialCode: material, qty: qty,
                reason: "supplier late"), context(supervisor))
    }

    /// `request` decided at its current level by `actor`.
    @discardableResult
    func decide(
        _ request: ApprovalRequest, by actor: Actor, approved: Bool = true, notes: String? = nil,
        _ effects: RecordedEffects = RecordedEffects()
    ) async throws -> ApprovalRequest {
        try await handlers.decide(DecideApproval(id: request.id.uuidString, approved: approved, notes: notes), context(actor, effects))
    }

    /// `request` as stored now.
    func stored(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        try await handlers.get(GetApproval(id: request.id.uuidString), context(manager))
    }
}
