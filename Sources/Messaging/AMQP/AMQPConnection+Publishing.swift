import CRabbitMQ
import Foundation
import Logging

/// Confirmed publishing: a batch is published, then its `basic.ack`/`basic.nack` frames are awaited once.
extension AMQPConnection {
    func startBatch(_ messages: [OutgoingMessage], continuation: CheckedContinuation<Void, any Error>) {
        guard let session else {
            continuation.resume(throwing: MessagingError.unavailable("not connected to \(configuration.description)"))
            return
        }
        let id = nextBatchId
        nextBatchId += 1
        batches[id] = ConfirmBatch(
            remaining: messages.count, deadline: .now + confirmTimeout,
            continuation: continuation, messageIds: messages.map(\.messageId))
        do {
            for message in messages {
                if message.mandatory { mandatoryToBatch[message.messageId] = id }
                let sequence = try session.publish(message)
                sequenceToBatch[sequence] = id
            }
        } catch {
            connectionLost(error)
        }
    }

    func confirm(upTo tag: UInt64, multiple: Bool, acked: Bool) {
        let tags: ClosedRange<UInt64> = multiple ? lowestUnconfirmed...max(tag, lowestUnconfirmed) : tag...tag
        for sequence in tags {
            guard let id = sequenceToBatch.removeValue(forKey: sequence), var batch = batches[id] else { continue }
            batch.remaining -= 1
            if !acked, batch.failure == nil { batch.failure = .nacked(messageId: batch.messageIds.first ?? "?") }
            batches[id] = batch
            if batch.remaining == 0 { finishBatch(id) }
        }
        while lowestUnconfirmed <= tag, sequenceToBatch[lowestUnconfirmed] == nil { lowestUnconfirmed += 1 }
    }

    func finishBatch(_ id: Int) {
        guard let batch = batches.removeValue(forKey: id) else { return }
        for messageId in batch.messageIds { mandatoryToBatch.removeValue(forKey: messageId) }
        if let failure = batch.failure {
            batch.continuation.resume(throwing: failure)
        } else {
            batch.continuation.resume()
        }
    }
}
