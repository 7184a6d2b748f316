import Dispatch
import Foundation

/// Catches SIGHUP, SIGINT, SIGQUIT and SIGTERM so a running render can stop cleanly and
/// remove its temporary files, and a live play can leave its voice channel.
///
/// A render polls ``signal`` between blocks; a play waits with ``waitForSignal(polling:)``.
/// A render blocked on a child process arms a cancel action with ``cancelling(with:_:)``,
/// which the signal runs so the blocked read returns. If the process does not stop within
/// its grace period (``gracePeriod`` unless given; blocked on a full pipe or a dead connection,
/// say), the trap removes the registered temporary files itself, says so in one sentence on
/// standard error and exits with 128 + the signal.
public final class SignalTrap: @unchecked Sendable {
    /// How long a render has to notice the signal before the process exits on its own.
    public static let gracePeriod: DispatchTimeInterval = .milliseconds(1500)
    /// How long a command connected to Discord has after a signal to leave its voice channels
    /// and close its connections, on a machine that may be busy.
    public static let disconnectingGracePeriod: DispatchTimeInterval = .seconds(5)

    /// How long this trap lets the process stop by itself after a signal.
    private let grace: DispatchTimeInterval

    private let lock = NSLock()
    private var caught: Int32?
    private var temporaryFiles: [String] = []
    private var cancelAction: (@Sendable () -> Void)?
    private var sources: [DispatchSourceSignal] = []

    /// A trap that is not yet listening, which exits the process `grace` after a signal it
    /// has not stopped by.
    public init(grace: DispatchTimeInterval = SignalTrap.gracePeriod) {
        self.grace = grace
    }

    /// The signals the trap catches.
    public static let signals = [SIGHUP, SIGINT, SIGQUIT, SIGTERM]

    /// The name of one of ``signals``, as error sentences print it.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        case SIGTERM: "SIGTERM"
        default: "SIGINT"
        }
    }

    /// Starts catching ``signals`` for the rest of the process.
    ///
    /// Returns once every source is registered: until then a signal meets `SIG_IGN` and is lost.
    public func install() {
        let registered = DispatchGroup()
        for number in Self.signals {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.receive(number) }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            sources.append(source)
        }
        _ = registered.wait(timeout: .now() + .seconds(5))
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

    /// Runs `body`; a signal caught before or while it runs calls `cancel` (on the
    /// signal's queue): kill a child process there, say, so a read blocked on it returns.
    func cancelling<Result>(with cancel: @escaping @Sendable () -> Void, _ body: () throws -> Result) rethrows -> Result {
        let alreadyCaught = lock.withLock {
            cancelAction = cancel
            return caught != nil
        }
        defer { lock.withLock { cancelAction = nil } }
        if alreadyCaught { cancel() }
        return try body()
    }

    /// What the trap prints when it ends the process itself.
    static func timeoutSentence(for signal: Int32) -> String {
        "error: interrupted by \(name(of: signal)); scream did not stop in time and exited before finishing.\n"
    }

    private func receive(_ number: Int32) {
        let (first, cancel) = lock.withLock {
            defer { caught = caught ?? number }
            return (caught == nil, cancelAction)
        }
        guard first else { return }
        cancel?()
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            for path in lock.withLock({ temporaryFiles }) {
                unlink(path)
            }
            FileHandle.standardError.write(Data(Self.timeoutSentence(for: number).utf8))
            exit(128 + number)
        }
    }
}
