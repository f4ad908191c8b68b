import Contracts
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /api/v1/ppic/stream` (`text/event-stream`): the web board's push channel. Signed in like
/// every route (`Authorization: Bearer`; the page reads it with `fetch`, which can send the header,
/// so no token travels in a URL), PPIC's readers only. Frames:
///
/// - `event: ready` once, when the stream is open;
/// - `event: change` — `{"types": [...], "events": n, "at": "..."}` — PPIC's figures may have moved:
///   read them again (one frame per burst of events, about 250 ms after its first);
/// - `event: ping` every 15 s;
/// - `event: expired` when the access token that opened the stream has run out: refresh it and
///   connect again. The stream then ends; it also ends when the gateway shuts down.
struct BoardStreamController: Sendable {
    let feed: BoardFeed

    func register(on ppic: APIRoutes) {
        ppic.addRaw(
            .get, "stream",
            "The web board's push channel (Server-Sent Events): `ready`, then `change` {types, events, at} when PPIC's figures may have moved, `ping` every 15 s, `expired` when the token runs out",
            access: .roles(PPICPermissions.read), media: "text/event-stream", stream)
    }

    @Sendable func stream(_ request: Request, context: GatewayContext) async throws -> Response {
        guard feed.subscriberCount < feed.maxSubscribers else {
            throw ErrorReply(.unavailable, "Too many boards are open on this gateway; try again in a minute.")
        }
        // The stream lives no longer than the token that opened it (AuthMiddleware has verified it).
        let deadline = Self.expiry(ofBearer: request.headers[.authorization]) ?? Date().addingTimeInterval(60)
        let feed = self.feed
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"  // a proxy must pass each frame on at once
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let subscription: (id: UUID, messages: AsyncStream<BoardMessage>)
                do {
                    subscription = try feed.subscribe()
                } catch {
                    try await writer.write(Self.frame("unavailable", ["message": "The gateway is shutting down or full; connect again."]))
                    try await writer.finish(nil)
                    return
                }
                defer { feed.unsubscribe(subscription.id) }
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                try await writer.write(Self.frame("ready", ["expires_at": Self.timestamp(deadline)]))
                for await message in subscription.messages {
                    if Date() >= deadline {
                        try await writer.write(Self.frame("expired", ["message": "The access token has expired; refresh it and connect again."]))
                        break
                    }
                    switch message.kind {
                    case .change:
                        try await writer.write(Self.frame("change", ChangeFrame(types: message.types, events: message.events, at: message.at)))
                    case .ping:
                        try await writer.write(Self.frame("ping", ["at": Self.timestamp(message.at)]))
                    }
                }
                try await writer.finish(nil)
            })
    }

    struct ChangeFrame: Encodable {
        var types: [String]
        var events: Int
        var at: Date
    }

    /// `event: NAME` and one `data:` line of JSON (StitchJSON writes no newlines), then a blank line.
    static func frame(_ event: String, _ data: some Encodable) -> ByteBuffer {
        let json = (try? StitchJSON.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "event: \(event)\ndata: \(json)\n\n")
    }

    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

    /// The `exp` of a bearer JWT (already verified), or nil.
    static func expiry(ofBearer header: String?) -> Date? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        let parts = header.dropFirst(7).split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let exp = (claims["exp"] as? NSNumber)?.doubleValue
        else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}
