import Foundation
import HTTPTypes
import Hummingbird

/// Who is on the other end, for the things that are counted per client (failed sign-ins): the
/// connection's address, or — when that is one of the configured reverse proxies — the address the
/// proxy appended last to `X-Forwarded-For` (a client can prepend anything, so only the proxy's own
/// entry counts).
struct ClientAddress: Sendable {
    /// `STITCH_TRUSTED_PROXIES`: the addresses of the reverse proxies in front of the gateway.
    let trustedProxies: Set<String>

    func of(_ request: Request, _ context: GatewayContext) -> String {
        let peer = context.peerAddress ?? "unknown"
        guard trustedProxies.contains(peer), let forwarded = request.headers[.xForwardedFor] else { return peer }
        let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return last.isEmpty || last.count > 64 ? peer : last
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
