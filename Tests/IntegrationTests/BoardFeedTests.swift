import Foundation
import Messaging
import Testing

@testable import Gateway

/// The web board's push feed on the real broker: a burst of events becomes one change for every browser.
@Suite("The board's feed")
struct BoardFeedTests {
    @Test("a burst of Production's events reaches each browser as a change that counts them; acks keep it flowing past the prefetch")
    func aBurstIsOneChange() async throws {
        try await withBus(name: "board") { bus in
            let feed = BoardFeed(
                bus: bus, instance: uniqueName("board-test"), logger: TestEnvironment.logger, coalesce: .milliseconds(500),
                heartbeat: .seconds(1))
            let running = Task { try await feed.run() }
            let (first, firstStream) = try feed.subscribe()
            let (second, secondStream) = try feed.subscribe()
            // Its queue is declared by run(): wait until it exists.
            #expect(await eventually { (try? await bus.messageCount(queue: feed.queue)) != nil })
            try await Task.sleep(for: .milliseconds(300))
            // More than the feed's prefetch (64): the rest arrive only if the first ones were acked.
            var events = try (1...100).map { try itemEvent($0, routingKey: "production.daily-input.recorded.v1") }
            for index in events.indices { events[index].type = "production.daily-input.recorded.v1" }
            var spk = try itemEvent(101, routingKey: "production.spk.completed.v1")
            spk.type = "production.spk.completed.v1"
            try await bus.publish(events + [spk])
            for stream in [firstStream, secondStream] {
                var changes = stream.makeAsyncIterator()
                var counted = 0
                var types = Set<String>()
                var bursts = 0
                let deadline = ContinuousClock.now + .seconds(20)  // a ping each second wakes the loop
                while counted < 101, ContinuousClock.now < deadline, let message = await changes.next() {
                    guard message.kind == .change else { continue }
                    counted += message.events
                    types.formUnion(message.types)
                    bursts += 1
                }
                #expect(counted == 101)
                #expect(bursts <= 2, "coalesced into few changes, not one per event")
                #expect(types == ["production.daily-input.recorded.v1", "production.spk.completed.v1"])
            }
            feed.unsubscribe(first)
            feed.unsubscribe(second)
            running.cancel()
            _ = try? await running.value
        }
    }
}
