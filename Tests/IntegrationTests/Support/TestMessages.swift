import Contracts
import Foundation
import Messaging

/// Messages the platform tests send; real services define theirs in Contracts.
struct ItemRecorded: Event {
    static let messageType = "test.item.recorded.v1"
    var item: Int
}

struct RecordItem: Command {
    static let messageType = "test.item.record.v1"
    static let owner = ServiceName.production
    typealias Reply = ItemReply
    var item: String
}

struct ItemReply: Codable, Sendable, Hashable {
    var item: String
    var timesApplied: Int
}

/// An `ItemRecorded` event as the outbox stores it, on a routing key only this test binds.
func itemEvent(_ item: Int, routingKey: String) throws -> OutgoingMessage {
    var message = try OutgoingMessage.event(Envelope(ItemRecorded(item: item), actor: .system("test")))
    message.routingKey = routingKey
    return message
}

/// A command no service ever binds.
struct NobodyHandles: Command {
    static let messageType = "test.nobody.handles.v1"
    static let owner = ServiceName.warehouse
    typealias Reply = Accepted
}
