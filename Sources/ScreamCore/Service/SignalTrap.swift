import Dispatch
import Foundation

/// Catches SIGINT and SIGTERM so a running render can stop cleanly and remove its
/// temporary files, and a live play can leave its voice channel.
///
/// A render polls ``signal`` between blocks; a play waits with ``waitForSignal(polling:)``.
/// If the process does not stop within ``gracePeriod`` (blocked on a full pipe or a dead
/// connection, say), the trap removes the registered temporary files itself and exits with
/// 128 + the signal.
public final class SignalTrap: @unchecked Sendable {
    /// How long a render has to notice the signal before the process exits on its own.
    public static let gracePeriod: DispatchTimeInterval = .milliseconds(1500)

    private let lock = NSLock()
    private var caught: Int32?
    private var temporaryFiles: [String] = []
    private var sources: [DispatchSourceSignal] = []

    /// A trap that is not yet listening.
    public init() {}

    /// Starts catching SIGINT and SIGTERM for the rest of the process.
    public func install() {
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.receive(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal caught, or `nil`.
    public var signal: Int32? {
        lock.withLock { caught }
    }

    /// Throws ``ServiceError/interrupted(signal:)`` once a signal was caught.
    @inline(__always)
    public func check() throws {
        if let signal { throw ServiceError.interrupted(signal: signal) }
    }

    /// Waits until a signal is caught, checking every `interval`; `nil` when the task is cancelled first.
    public func waitForSignal(polling interval: Duration) async -> Int32? {
        while true {
            if let signal { return signal }
            guard (try? await Task.sleep(for: interval)) != nil else { return nil }
        }
    }

    /// Names the temporary files to delete if the process has to exit on its own; `[]` clears them.
    func guardTemporaryFiles(_ paths: [String]) {
        lock.withLock { temporaryFiles = paths }
    }

    private func receive(_ number: Int32) {
        let first = lock.withLock {
            defer { caught = caught ?? number }
            return caught == nil
        }
        guard first else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.gracePeriod) { [self] in
            for path in lock.withLock({ temporaryFiles }) {
                unlink(path)
            }
            exit(128 + number)
        }
    }
}
