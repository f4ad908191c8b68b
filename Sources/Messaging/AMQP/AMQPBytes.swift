import CRabbitMQ

/// librabbitmq takes strings as `amqp_bytes_t` that must stay valid for the whole call (a pointer
/// made by `amqp_cstring_bytes(swiftString)` dangles at once). This owns copies until it is freed.
final class AMQPByteArena {
    private var owned: [amqp_bytes_t] = []

    func bytes(_ string: String) -> amqp_bytes_t {
        var utf8 = Array(string.utf8)
        if utf8.isEmpty { return amqp_empty_bytes }
        let copy = utf8.withUnsafeMutableBytes { raw in
            amqp_bytes_malloc_dup(amqp_bytes_t(len: raw.count, bytes: raw.baseAddress))
        }
        owned.append(copy)
        return copy
    }

    /// A table of string and integer arguments (queue x-arguments, message headers).
    func table(_ entries: [(String, AMQPFieldValue)]) -> amqp_table_t {
        if entries.isEmpty { return amqp_empty_table }
        let pointer = UnsafeMutablePointer<amqp_table_entry_t>.allocate(capacity: entries.count)
        for (index, (key, value)) in entries.enumerated() {
            var field = amqp_field_value_t()
            switch value {
            case .string(let text):
                field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
                field.value.bytes = bytes(text)
            case .int(let number):
                field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
                field.value.i64 = Int64(number)
            }
            (pointer + index).initialize(to: amqp_table_entry_t(key: bytes(key), value: field))
        }
        tables.append(pointer)
        return amqp_table_t(num_entries: Int32(entries.count), entries: pointer)
    }

    private var tables: [UnsafeMutablePointer<amqp_table_entry_t>] = []

    deinit {
        for item in owned { amqp_bytes_free(item) }
        for table in tables { table.deallocate() }
    }
}

enum AMQPFieldValue {
    case string(String)
    case int(Int)
}

extension amqp_bytes_t {
    /// A Swift copy; the memory behind `self` belongs to librabbitmq and is reused.
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }
}

extension amqp_table_t {
    /// Header values as text (numbers printed); nested tables and arrays are summarised.
    var stringDictionary: [String: String] {
        var result: [String: String] = [:]
        guard num_entries > 0, let entries else { return result }
        for index in 0..<Int(num_entries) {
            let entry = entries[index]
            let value = entry.value
            let text: String
            switch UInt32(value.kind) {
            case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue: text = value.value.bytes.string
            case AMQP_FIELD_KIND_I8.rawValue: text = String(value.value.i8)
            case AMQP_FIELD_KIND_U8.rawValue: text = String(value.value.u8)
            case AMQP_FIELD_KIND_I16.rawValue: text = String(value.value.i16)
            case AMQP_FIELD_KIND_U16.rawValue: text = String(value.value.u16)
            case AMQP_FIELD_KIND_I32.rawValue: text = String(value.value.i32)
            case AMQP_FIELD_KIND_U32.rawValue: text = String(value.value.u32)
            case AMQP_FIELD_KIND_I64.rawValue: text = String(value.value.i64)
            case AMQP_FIELD_KIND_U64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue: text = String(value.value.u64)
            case AMQP_FIELD_KIND_BOOLEAN.rawValue: text = value.value.boolean != 0 ? "true" : "false"
            case AMQP_FIELD_KIND_TABLE.rawValue: text = "\(value.value.table.stringDictionary)"
            case AMQP_FIELD_KIND_ARRAY.rawValue: text = "[\(value.value.array.num_entries) entries]"
            default: text = ""
            }
            result[entry.key.string] = text
        }
        return result
    }
}

/// A readable reason for a failed librabbitmq call.
func describe(_ reply: amqp_rpc_reply_t) -> String {
    switch reply.reply_type {
    case AMQP_RESPONSE_NORMAL: return "ok"
    case AMQP_RESPONSE_NONE: return "no reply (missing RPC reply type)"
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return String(cString: amqp_error_string2(reply.library_error))
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        switch reply.reply.id {
        case STITCH_CONNECTION_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return "server closed the connection: \(close.reply_code) \(close.reply_text.string)"
        case STITCH_CHANNEL_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return "server closed the channel: \(close.reply_code) \(close.reply_text.string)"
        default: return "server error (method \(reply.reply.id))"
        }
    default: return "unknown reply type"
    }
}

func statusText(_ status: Int32) -> String { String(cString: amqp_error_string2(status)) }
