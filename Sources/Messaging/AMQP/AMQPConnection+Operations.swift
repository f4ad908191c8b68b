import CRabbitMQ
import Foundation
import Logging

/// The async API callers use: each operation becomes a job for the connection's thread.
extension AMQPConnection {
    func declare(_ topology: Topology) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            perform { connection in
                if !connection.topologies.contains(topology) { connection.topologies.append(topology) }
                guard let session = connection.session else {
                    continuation.resume(throwing: MessagingError.unavailable("not connected to \(connection.configuration.description)"))
                    return
                }
                do {
                    try session.declare(topology)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                    connection.connectionLost(error)
                }
            }
        }
    }

    /// Remembers a topology to declare on every (re)connect, without waiting for a connection.
    func remember(_ topology: Topology) {
        perform { connection in
            if !connection.topologies.contains(topology) { connection.topologies.append(topology) }
        }
    }

    /// Waits (polling cheaply) until connected; false if `timeout` passed first.
    func waitUntilConnected(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isConnected {
            if ContinuousClock.now >= deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func messageCount(queue: String) async throws -> Int {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            perform { connection in
                guard let session = connection.session else {
                    continuation.resume(throwing: MessagingError.unavailable("not connected to \(connection.configuration.description)"))
                    return
                }
                do {
                    continuation.resume(returning: try session.messageCount(queue))
                } catch {
                    continuation.resume(throwing: error)
                    connection.connectionLost(error)
                }
            }
        }
    }

    func publish(_ messages: [OutgoingMessage]) async throws {
        if messages.isEmpty { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            perform { $0.startBatch(messages, continuation: continuation) }
        }
    }

    /// Hands `messages` to the thread and returns: published when it runs the job, not confirmed to anyone
    /// (a confirm for them finds no batch and is passed over), dropped if it is not connected then.
    func sendUnconfirmed(_ messages: [OutgoingMessage]) {
        if messages.isEmpty { return }
        perform { connection in
            guard let session = connection.session else { return }
            do {
                for message in messages { _ = try session.publish(message) }
            } catch {
                connection.connectionLost(error)
            }
        }
    }

    func request(_ message: OutgoingMessage, timeout: Duration) async throws -> IncomingMessage {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<IncomingMessage, any Error>) in
            perform { $0.startRequest(message, timeout: timeout, continuation: continuation) }
        }
    }

    func addConsumer(_ registration: ConsumerRegistration) async -> Int {
        await withCheckedContinuation { continuation in
            perform { connection in
                let id = connection.nextConsumerId
                connection.nextConsumerId += 1
                connection.consumers[id] = registration
                if connection.session != nil { connection.startConsumer(id) }
                continuation.resume(returning: id)
            }
        }
    }

    /// Stops deliveries to a consumer; what it already received may still be settled.
    func removeConsumer(_ id: Int) async {
        await withCheckedContinuation { continuation in
            perform { connection in
                if let tag = connection.consumers.removeValue(forKey: id)?.tag, let session = connection.session {
                    do { try session.cancel(consumerTag: tag) } catch { connection.connectionLost(error) }
                }
                continuation.resume()
            }
        }
    }
}
