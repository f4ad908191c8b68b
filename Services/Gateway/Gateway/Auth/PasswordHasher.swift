import Dispatch
import HummingbirdBcrypt

/// bcrypt, run off the cooperative thread pool (a hash takes tens of milliseconds by design).
struct PasswordHasher: Sendable {
    let cost: Int

    func hash(_ password: String) async -> String {
        await offPool { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    func verify(_ password: String, hash: String) async -> Bool {
        await offPool { Bcrypt.verify(password, hash: hash) }
    }

    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

/// What a password must be.
enum PasswordPolicy {
    static func problems(_ password: String) -> [String] {
        var problems: [String] = []
        if password.count < 8 { problems.append("must be at least 8 characters") }
        if password.count > 128 { problems.append("must be at most 128 characters") }
        return problems
    }
}
