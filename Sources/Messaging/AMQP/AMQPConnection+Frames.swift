import CRabbitMQ
import Foundation
import Logging

/// Reading frames on the connection's thread: confirms, returns, deliveries and replies.
extension AMQPConnection {
    func readAvailableFrames() {
        var handled = 0
        while let session = self.session, handled < 512 {
            do {
                guard let frame = try session.nextFrame() else { break }
                try handle(frame)
                handled += 1
            } catch {
                connectionLost(error)
                return
            }
        }
        session?.releaseBuffers()
        handOverDeliveries()
    }

    /// Each consumer's deliveries of this read, in one go.
    func handOverDeliveries() {
        guard !gathered.isEmpty else { return }
        let batches = gathered
        gathered.removeAll(keepingCapacity: true)
        for (id, deliveries) in batches { consumers[id]?.sink(deliveries) }
    }

    func handle(_ frame: amqp_frame_t) throws(MessagingError) {
        switch frame.frame_type {
        case STITCH_FRAME_METHOD:
            try handleMethod(frame.payload.method)
        case STITCH_FRAME_HEADER:
            guard partial != nil else { return }
            let properties = frame.payload.properties.decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
            partial!.bodySize = Int(frame.payload.properties.body_size)
            partial!.properties = Self.copy(properties)
            if partial!.bodySize == 0 { completeContent() }
        case STITCH_FRAME_BODY:
            guard partial != nil else { return }
            partial!.body += frame.payload.body_fragment.array
            if partial!.body.count >= partial!.bodySize { completeContent() }
        default:
            break  // heartbeats are handled inside librabbitmq
        }
    }

    func handleMethod(_ method: amqp_method_t) throws(MessagingError) {
        switch method.id {
        case STITCH_BASIC_DELIVER:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            partial = PartialContent(
                kind: .delivery(
                    consumerTag: deliver.consumer_tag.string, deliveryTag: deliver.delivery_tag,
                    redelivered: deliver.redelivered != 0),
                exchange: deliver.exchange.string, routingKey: deliver.routing_key.string)
        case STITCH_BASIC_RETURN:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            partial = PartialContent(
                kind: .returned(code: returned.reply_code, text: returned.reply_text.string),
                exchange: returned.exchange.string, routingKey: returned.routing_key.string)
        case STITCH_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(upTo: ack.delivery_tag, multiple: ack.multiple != 0, acked: true)
        case STITCH_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(upTo: nack.delivery_tag, multiple: nack.multiple != 0, acked: false)
        case STITCH_BASIC_CANCEL:
            // The broker cancelled a consumer (its queue was deleted): start over so it is re-declared.
            throw .connectionLost("the broker cancelled a consumer")
        case STITCH_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            throw .connectionLost("channel closed by broker: \(close.reply_code) \(close.reply_text.string)")
        case STITCH_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            session?.acknowledgeServerClose()
            throw .connectionLost("connection closed by broker: \(close.reply_code) \(close.reply_text.string)")
        case STITCH_CONNECTION_BLOCKED:
            logger.warning("broker blocked publishing (resource alarm)")
        case STITCH_CONNECTION_UNBLOCKED:
            logger.info("broker unblocked publishing")
        default:
            break
        }
    }

    func completeContent() {
        guard let content = partial else { return }
        partial = nil
        var message = content.properties
        message.exchange = content.exchange
        message.routingKey = content.routingKey
        message.body = content.body
        switch content.kind {
        case .delivery(let consumerTag, let deliveryTag, let redelivered):
            message.redelivered = redelivered
            if consumerTag == replyConsumerTag {
                if let correlationId = message.correlationId, let waiter = replyWaiters.removeValue(forKey: correlationId) {
                    waiter.continuation.resume(returning: message)
                }
                return
            }
            // In hand until settled, also one for a consumer that is gone (it comes back after a close), so
            // no `multiple` ack ever covers it.
            unsettled.insert(deliveryTag)
            guard let (id, registration) = consumers.first(where: { $0.value.tag == consumerTag }) else { return }
            gathered[id, default: []].append(
                Delivery(
                    message: message, queue: registration.queue, tag: deliveryTag,
                    generation: generation, settler: self))
        case .returned(let code, let text):
            let error = MessagingError.unroutable(
                exchange: content.exchange, routingKey: content.routingKey,
                reason: "\(code) \(text)")
            if let correlationId = message.correlationId, let waiter = replyWaiters.removeValue(forKey: correlationId) {
                waiter.continuation.resume(throwing: error)
            } else if let messageId = message.messageId, let id = mandatoryToBatch[messageId], batches[id]?.failure == nil {
                batches[id]?.failure = error
            }
        }
    }

    static func copy(_ properties: amqp_basic_properties_t) -> IncomingMessage {
        let flags = properties._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        var message = IncomingMessage(exchange: "", routingKey: "", body: [])
        if has(AMQP_BASIC_MESSAGE_ID_FLAG) { message.messageId = properties.message_id.string }
        if has(AMQP_BASIC_CORRELATION_ID_FLAG) { message.correlationId = properties.correlation_id.string }
        if has(AMQP_BASIC_TYPE_FLAG) { message.type = properties.type.string }
        if has(AMQP_BASIC_REPLY_TO_FLAG) { message.replyTo = properties.reply_to.string }
        if has(AMQP_BASIC_HEADERS_FLAG) {
            message.headers = properties.headers.stringDictionary
            message.deliveryCount = message.headers["x-delivery-count"].flatMap { Int($0) } ?? 0
        }
        return message
    }
}

extension AMQPConnection: DeliverySettler {
    func ack(_ tag: UInt64, generation: UInt64) {
        ack([tag], generation: generation)
    }

    /// One frame for the tags below every delivery still in hand (`multiple`: each one of a quorum queue's
    /// settles is a log entry in the broker), one each for the rest.
    func ack(_ tags: [UInt64], generation: UInt64) {
        perform { connection in
            guard connection.generation == generation, let session = connection.session else { return }
            for tag in tags { connection.unsettled.remove(tag) }
            let lowestInHand = connection.unsettled.min() ?? .max
            let sorted = tags.sorted()
            do {
                if let covered = sorted.last(where: { $0 < lowestInHand }) { try session.ack(covered, multiple: covered != sorted.first) }
                for tag in sorted where tag > lowestInHand { try session.ack(tag) }
            } catch {
                connection.connectionLost(error)
            }
        }
    }

    func reject(_ tag: UInt64, generation: UInt64, requeue: Bool) {
        perform { connection in
            guard connection.generation == generation, let session = connection.session else { return }
            connection.unsettled.remove(tag)
            do { try session.reject(tag, requeue: requeue) } catch { connection.connectionLost(error) }
        }
    }
}
