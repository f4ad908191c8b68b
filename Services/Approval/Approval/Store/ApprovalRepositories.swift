/// Everything Approval keeps, handed to its handlers by construction: PostgreSQL in a running service,
/// memory in a unit test.
public struct ApprovalRepositories: Sendable {
    let approvals: any ApprovalRepository
    let materials: any MaterialCopyRepository

    public static var postgres: ApprovalRepositories {
        ApprovalRepositories(approvals: PostgresApprovalRepository(), materials: PostgresMaterialCopyRepository())
    }

    static func inMemory() -> ApprovalRepositories {
        ApprovalRepositories(approvals: InMemoryApprovalRepository(), materials: InMemoryMaterialCopyRepository())
    }
}
