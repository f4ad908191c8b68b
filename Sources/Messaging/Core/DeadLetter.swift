import Foundation

/// A parked message: a copy of the original in `<queue>.dead` with why, when and after how many
/// attempts it was parked. `./scripts/run ops SERVICE dead-letters` lists and replays them.
public enum DeadLetter {
    public static let errorHeader = "x-stitch-error"
    public static let queueHeader = "x-stitch-queue"
    public static let attemptsHeader = "x-stitch-attempts"
    public static let failedAtHeader = "x-stitch-failed-at"
    public static let routingKeyHeader = "x-stitch-routing-key"

    /// The copy that goes to `<queue>.dead`.
    public static func copy(of message: IncomingMessage, queue: String, reason: String, attempts: Int) -> OutgoingMessage {
        var headers = message.headers.filter { !$0.key.hasPrefix("x-") }
        headers[errorHeader] = String(reason.prefix(2000))
        headers[queueHeader] = queue
        headers[attemptsHeader] = String(attempts)
        headers[failedAtHeader] = Date().formatted(.iso8601)
        headers[routingKeyHeader] = message.routingKey
        return OutgoingMessage(
            exchange: Topology.deadExchange, routingKey: "\(queue).dead", body: message.body,
            messageId: message.messageId ?? UUID().uuidString, correlationId: message.correlationId,
            type: message.type, headers: headers, mandatory: true)
    }

    /// The message as it was before it was parked, addressed straight to the queue it failed in
    /// (through the default exchange, so no other queue bound to its routing key gets it again).
    public static func replay(_ letter: IncomingMessage) -> OutgoingMessage? {
        guard let queue = letter.headers[queueHeader] else { return nil }
        return OutgoingMessage(
            exchange: "", routingKey: queue, body: letter.body, messageId: letter.messageId ?? UUID().uuidString,
            correlationId: letter.correlationId, type: letter.type,
            headers: letter.headers.filter { !$0.key.hasPrefix("x-") }, mandatory: true)
    }
}
