import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Where the gateway remembers which request each client key was first used for (`request_keys`).
protocol RequestKeyStore: Sendable {
    /// Binds `key` of `user` to `request` unless it is bound already; returns what the key is bound to.
    func bind(user: String, key: String, to request: KeyedRequest) async throws -> KeyedRequest
    /// Forgets the key if it is still bound to `fingerprint` (the request changed nothing: a 4xx).
    func release(user: String, key: String, fingerprint: String) async throws
    /// Deletes keys older than `RequestKeyRetention.days`, at most `limit`; returns how many.
    func deleteExpired(limit: Int) async throws -> Int
}

/// The request a key was first used for, as its 422 names it.
struct KeyedRequest: Sendable, Hashable {
    var fingerprint: String
    var method: String
    var path: String
}

/// How long a client key is remembered: as long as the services keep the outcome stored under it
/// (`Housekeeping.defaultClientKeyRetentionDays`), so a retry within that time is always answered the same.
enum RequestKeyRetention {
    static let days = Housekeeping.defaultClientKeyRetentionDays
}

struct PostgresRequestKeyStore: RequestKeyStore {
    let client: PostgresClient
    let logger: Logger

    func bind(user: String, key: String, to request: KeyedRequest) async throws -> KeyedRequest {
        // The insert and the read of a key taken before are one statement. If another request is inserting
        // the same key at this moment, the insert waits for it and the read (of the statement's snapshot)
        // finds nothing: then the next round reads what it committed.
        for _ in 0..<5 {
            let rows = try await client.rows(
                """
                WITH fresh AS (
                    INSERT INTO request_keys (user_id, key, fingerprint, method, path)
                    VALUES (\(user), \(key), \(request.fingerprint), \(request.method), \(request.path))
                    ON CONFLICT DO NOTHING RETURNING fingerprint, method, path)
                SELECT fingerprint, method, path FROM fresh
                UNION ALL
                SELECT fingerprint, method, path FROM request_keys WHERE user_id = \(user) AND key = \(key)
                """, logger: logger, deadline: .seconds(10))
            if let row = rows.first {
                let (fingerprint, method, path) = try row.decode((String, String, String).self)
                return KeyedRequest(fingerprint: fingerprint, method: method, path: path)
            }
        }
        throw DeadlineExceeded("binding an Idempotency-Key", after: .seconds(10))
    }

    func release(user: String, key: String, fingerprint: String) async throws {
        try await client.rows(
            """
            DELETE FROM request_keys WHERE user_id = \(user) AND key = \(key) AND fingerprint = \(fingerprint)
            """, logger: logger, deadline: .seconds(10))
    }

    func deleteExpired(limit: Int) async throws -> Int {
        try await client.rows(
            """
            DELETE FROM request_keys WHERE (user_id, key) IN (
                SELECT user_id, key FROM request_keys WHERE created_at < now() - make_interval(days => \(RequestKeyRetention.days))
                LIMIT \(limit))
            RETURNING 1
            """, logger: logger
        ).count
    }
}
