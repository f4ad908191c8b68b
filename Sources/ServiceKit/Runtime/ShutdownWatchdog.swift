import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The last line of docs/architecture.md's "shutdown is bounded": once SIGTERM or SIGINT arrives, the process
/// ends within `seconds` whatever is down. The graceful path (stop consuming, finish in flight,
/// flush the outbox, close) normally ends well before; if a dependency hangs it, nothing is lost
/// by ending here — unacknowledged messages are redelivered and the outbox keeps what it could
/// not publish for the next start.
public enum ShutdownWatchdog {
    private static let sources = LockedSources()

    public static func arm(seconds: Int, logger: Logger) {
        // A second early: the process must be gone *within* the deadline, exit included.
        let fuse = max(1, seconds - 1)
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)  // dispatch sources see the signal; the default action must not end us first
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(fuse)) {
                    logger.critical(
                        "shutdown took longer than \(fuse) s (STITCH_SHUTDOWN_SECONDS); exiting now — unacknowledged messages will be redelivered, the outbox keeps the rest"
                    )
                    fflush(nil)  // every stream: the log lines above must not be lost
                    _exit(3)
                }
            }
            source.resume()
            sources.keep(source)
        }
    }

    /// Signal sources live as long as the process.
    private final class LockedSources: @unchecked Sendable {
        private let lock = NSLock()
        private var sources: [any DispatchSourceSignal] = []
        func keep(_ source: any DispatchSourceSignal) {
            lock.lock()
            sources.append(source)
            lock.unlock()
        }
    }
}
