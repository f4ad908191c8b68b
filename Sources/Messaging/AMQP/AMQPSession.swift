import CRabbitMQ
import Foundation

/// One open librabbitmq connection with one channel. Not thread-safe: only the owning
/// `AMQPConnection` thread touches it. Every failure throws; the owner then drops the session
/// and reconnects.
final class AMQPSession {
    static let channel: amqp_channel_t = 1
    let state: amqp_connection_state_t
    private(set) var nextPublishSequence: UInt64 = 1

    init(configuration: AMQPConfiguration, connectionName: String, confirms: Bool) throws(MessagingError) {
        guard let state = amqp_new_connection() else { throw .unavailable("cannot allocate a connection") }
        self.state = state
        do {
            try open(configuration, confirms: confirms)
        } catch {
            amqp_destroy_connection(state)
            throw error
        }
    }

    private func open(_ configuration: AMQPConfiguration, confirms: Bool) throws(MessagingError) {
        let socket: OpaquePointer?
        if configuration.tls {
            socket = amqp_ssl_socket_new(state)
            if let socket {
                amqp_ssl_socket_set_verify_peer(socket, configuration.verifyPeer ? 1 : 0)
                amqp_ssl_socket_set_verify_hostname(socket, configuration.verifyPeer ? 1 : 0)
                // Without ?cacert= the system's CA bundle is used (librabbitmq trusts nothing by itself).
                let systemBundle = "/etc/ssl/certs/ca-certificates.crt"
                let bundle =
                    configuration.caCertificatePath
                    ?? (FileManager.default.fileExists(atPath: systemBundle) ? systemBundle : nil)
                if let path = bundle, amqp_ssl_socket_set_cacert(socket, path) != 0 {
                    throw .invalidConfiguration("cannot read CA certificate \(path)")
                }
            }
        } else {
            socket = amqp_tcp_socket_new(state)
        }
        guard let socket else { throw .unavailable("cannot create a socket") }
        let seconds = configuration.connectTimeout.components.seconds
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw .unavailable("\(configuration.host):\(configuration.port): \(statusText(status))")
        }
        // Synchronous methods (declare, consume, close) must not hang on a broker that stopped answering.
        var rpcTimeout = timeval(tv_sec: 15, tv_usec: 0)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        let login = stitch_amqp_login_plain(
            state, configuration.vhost, 0, Int32(AMQP_DEFAULT_FRAME_SIZE), Int32(configuration.heartbeat),
            configuration.username, configuration.password)
        guard login.reply_type == AMQP_RESPONSE_NORMAL else {
            throw .unavailable("login to \(configuration.description) failed: \(describe(login))")
        }
        amqp_channel_open(state, Self.channel)
        try check("channel.open")
        if confirms {
            amqp_confirm_select(state, Self.channel)
            try check("confirm.select")
        }
    }

    /// Closes politely: the sync round trip first makes sure every ack sent before it was processed
    /// (acks sent just before a close were seen lost with quorum queues).
    func close() {
        _ = amqp_basic_qos(state, Self.channel, 0, 0, 0)
        _ = amqp_channel_close(state, Self.channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
    }

    /// For a connection that is already broken: free it without talking to the broker.
    func discard() {
        amqp_destroy_connection(state)
    }

    var socketDescriptor: Int32 { amqp_get_sockfd(state) }
    var hasBufferedInput: Bool { amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0 }

    private func check(_ what: String) throws(MessagingError) {
        let reply = amqp_get_rpc_reply(state)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            throw .connectionLost("\(what): \(describe(reply))")
        }
    }

    // MARK: Topology

    func declare(_ topology: Topology) throws(MessagingError) {
        for exchange in topology.exchanges {
            let arena = AMQPByteArena()
            amqp_exchange_declare(
                state, Self.channel, arena.bytes(exchange.name), arena.bytes(exchange.kind.rawValue),
                0, 1, 0, 0, amqp_empty_table)
            try check("exchange.declare \(exchange.name)")
        }
        for queue in topology.queues {
            let arena = AMQPByteArena()
            if let transient = queue.transient {
                let expires = transient.expiresAfter.components
                let arguments: [(String, AMQPFieldValue)] = [
                    ("x-queue-type", .string("classic")),
                    ("x-expires", .int(max(1, Int(expires.seconds) * 1000 + Int(expires.attoseconds / 1_000_000_000_000_000)))),
                    ("x-max-length", .int(transient.maxLength)),
                    ("x-overflow", .string("drop-head")),
                ]
                amqp_queue_declare(state, Self.channel, arena.bytes(queue.name), 0, 0, 0, 0, arena.table(arguments))
                try check("queue.declare \(queue.name) (transient)")
                continue
            }
            var arguments: [(String, AMQPFieldValue)] = [("x-queue-type", .string("quorum"))]
            if queue.deadLettered {
                arguments += [
                    ("x-dead-letter-exchange", .string(Topology.deadExchange)),
                    ("x-dead-letter-routing-key", .string(queue.deadLetterQueue)),
                    // At-least-once dead-lettering: a dead letter leaves only once its queue has it.
                    ("x-dead-letter-strategy", .string("at-least-once")),
                    ("x-overflow", .string("reject-publish")),
                ]
            }
            if let limit = queue.deliveryLimit { arguments.append(("x-delivery-limit", .int(limit))) }
            amqp_queue_declare(state, Self.channel, arena.bytes(queue.name), 0, 1, 0, 0, arena.table(arguments))
            try check("queue.declare \(queue.name)")
        }
        for binding in topology.bindings {
            let arena = AMQPByteArena()
            amqp_queue_bind(
                state, Self.channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                arena.bytes(binding.routingKey), amqp_empty_table)
            try check("queue.bind \(binding.queue) ← \(binding.exchange)/\(binding.routingKey)")
        }
    }

    /// How many messages a queue holds (a passive declare: it creates nothing).
    func messageCount(_ queue: String) throws(MessagingError) -> Int {
        let arena = AMQPByteArena()
        let ok = amqp_queue_declare(state, Self.channel, arena.bytes(queue), 1, 0, 0, 0, amqp_empty_table)
        try check("queue.declare (passive) \(queue)")
        guard let ok else { throw .protocolError("queue.declare-ok missing") }
        return Int(ok.pointee.message_count)
    }

    // MARK: Publishing

    /// Sends one message; returns its publisher-confirm sequence number.
    @discardableResult
    func publish(_ message: OutgoingMessage) throws(MessagingError) -> UInt64 {
        let arena = AMQPByteArena()
        var properties = amqp_basic_properties_t()
        var flags =
            AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG
            | AMQP_BASIC_TIMESTAMP_FLAG
        properties.content_type = arena.bytes("application/json")
        properties.delivery_mode = message.persistent ? 2 : 1
        properties.message_id = arena.bytes(message.messageId)
        properties.timestamp = UInt64(Date().timeIntervalSince1970)
        if let correlationId = message.correlationId {
            flags |= AMQP_BASIC_CORRELATION_ID_FLAG
            properties.correlation_id = arena.bytes(correlationId)
        }
        if let type = message.type {
            flags |= AMQP_BASIC_TYPE_FLAG
            properties.type = arena.bytes(type)
        }
        if let replyTo = message.replyTo {
            flags |= AMQP_BASIC_REPLY_TO_FLAG
            properties.reply_to = arena.bytes(replyTo)
        }
        if !message.headers.isEmpty {
            flags |= AMQP_BASIC_HEADERS_FLAG
            properties.headers = arena.table(message.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        }
        properties._flags = amqp_flags_t(flags)
        let status = message.body.withUnsafeBytes { body in
            amqp_basic_publish(
                state, Self.channel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                message.mandatory ? 1 : 0, 0, &properties,
                amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
        }
        guard status == AMQP_STATUS_OK.rawValue else { throw .connectionLost("publish: \(statusText(status))") }
        defer { nextPublishSequence += 1 }
        return nextPublishSequence
    }

    // MARK: Consuming

    /// Starts a consumer; returns the broker's consumer tag.
    func consume(queue: String, prefetch: Int, noAck: Bool) throws(MessagingError) -> String {
        if !noAck {
            // Per-consumer prefetch (global = false): it applies to the consumer started next.
            amqp_basic_qos(state, Self.channel, 0, UInt16(clamping: prefetch), 0)
            try check("basic.qos")
        }
        let arena = AMQPByteArena()
        let ok = amqp_basic_consume(
            state, Self.channel, arena.bytes(queue), amqp_empty_bytes, 0, noAck ? 1 : 0, 0,
            amqp_empty_table)
        try check("basic.consume \(queue)")
        guard let ok else { throw .protocolError("basic.consume-ok missing") }
        return ok.pointee.consumer_tag.string
    }

    func cancel(consumerTag: String) throws(MessagingError) {
        let arena = AMQPByteArena()
        amqp_basic_cancel(state, Self.channel, arena.bytes(consumerTag))
        try check("basic.cancel")
    }

    /// `multiple`: also every unsettled delivery of the channel with a lower tag.
    func ack(_ tag: UInt64, multiple: Bool = false) throws(MessagingError) {
        let status = amqp_basic_ack(state, Self.channel, tag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw .connectionLost("ack: \(statusText(status))") }
    }

    func reject(_ tag: UInt64, requeue: Bool) throws(MessagingError) {
        let status = amqp_basic_nack(state, Self.channel, tag, 0, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw .connectionLost("nack: \(statusText(status))") }
    }

    // MARK: Reading

    /// The next frame if one is available now, else nil. Heartbeats are sent and checked inside.
    func nextFrame() throws(MessagingError) -> amqp_frame_t? {
        var frame = amqp_frame_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &zero)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        guard status == AMQP_STATUS_OK.rawValue else { throw .connectionLost(statusText(status)) }
        return frame
    }

    func releaseBuffers() { amqp_maybe_release_buffers(state) }

    /// Answers the broker's connection.close so it knows we heard it.
    func acknowledgeServerClose() {
        var ok = amqp_connection_close_ok_t()
        _ = amqp_send_method(state, 0, STITCH_CONNECTION_CLOSE_OK, &ok)
    }
}
