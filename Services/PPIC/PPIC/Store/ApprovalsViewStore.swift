import Contracts
import Logging
import PostgresNIO

/// Approval requests as their events told; a decided one never goes back to PENDING.
struct ApprovalsViewStore {
    let connection: PostgresConnection
    let logger: Logger

    func apply(_ request: ApprovalRequest) async throws {
        try await connection.query(
            """
            INSERT INTO approvals_view (request_id, code, kind, status, requested_at, spk_id, spk_code)
            VALUES (\(request.id), \(request.code), \(request.kind.rawValue), \(request.status.rawValue), \(request.requestedAt),
                    \(request.spkId), \(request.spkCode))
            ON CONFLICT (request_id) DO UPDATE SET status = EXCLUDED.status, spk_id = EXCLUDED.spk_id, spk_code = EXCLUDED.spk_code
            WHERE approvals_view.status = 'PENDING'
            """, logger: logger)
    }
}
