import Synchronization

/// Continuations waiting for a keyed message, plus messages that arrived before anyone waited.
///
/// Lives inside an actor; every operation happens on that actor, so each continuation is resumed
/// exactly once.
struct Waiters<Key: Hashable & Sendable> {
    private struct Entry {
        let key: Key
        let continuation: CheckedContinuation<JSONValue, any Error>
        var timer: Task<Void, Never>?
    }

    private var arrived: [Key: JSONValue] = [:]
    private var pending: [Int: Entry] = [:]
    private var nextID = 0

    /// Hands `value` to the oldest waiter for `key`, or keeps it for the next one.
    mutating func deliver(_ key: Key, _ value: JSONValue) {
        guard let id = pending.filter({ $0.value.key == key }).keys.min() else {
            arrived[key] = value
            return
        }
        let entry = pending.removeValue(forKey: id)!
        entry.timer?.cancel()
        entry.continuation.resume(returning: value)
    }

    /// Takes a message that arrived before anyone waited for it.
    mutating func take(_ key: Key) -> JSONValue? {
        arrived.removeValue(forKey: key)
    }

    /// Registers a waiter and returns its id.
    mutating func register(_ key: Key, _ continuation: CheckedContinuation<JSONValue, any Error>) -> Int {
        nextID += 1
        pending[nextID] = Entry(key: key, continuation: continuation)
        return nextID
    }

    /// Attaches the task that will fail waiter `id` on timeout.
    mutating func attach(timer: Task<Void, Never>, to id: Int) {
        if pending[id] == nil {
            timer.cancel()
        } else {
            pending[id]?.timer = timer
        }
    }

    /// Fails waiter `id` if it is still waiting.
    mutating func fail(_ id: Int, with error: DiscordVoiceError) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        entry.timer?.cancel()
        entry.continuation.resume(throwing: error)
    }

    /// Fails every waiter and forgets early messages.
    mutating func failAll(with error: DiscordVoiceError) {
        for id in pending.keys.sorted() { fail(id, with: error) }
        arrived.removeAll()
    }

    /// Forgets early messages (a new socket starts clean).
    mutating func forgetArrived() {
        arrived.removeAll()
    }
}

/// An actor that waits for keyed messages with a timeout.
protocol MessageWaiting: Actor {
    associatedtype Signal: Hashable & Sendable
    /// The waiters and early messages.
    var waiters: Waiters<Signal> { get set }
    /// Why the actor stopped for good, if it did: waiting then fails at once.
    var failure: DiscordVoiceError? { get }
}

extension MessageWaiting {
    /// Fails waiter `id` if it is still waiting.
    func failWaiter(_ id: Int, with error: DiscordVoiceError) {
        waiters.fail(id, with: error)
    }

    /// Waits for `signal`, failing with `timeoutError` after `timeout` and with `.cancelled` on cancellation.
    func wait(
        for signal: Signal, timeout: Duration, timeoutError: DiscordVoiceError
    ) async throws(DiscordVoiceError) -> JSONValue {
        if let early = waiters.take(signal) { return early }
        if let failure { throw failure }
        let box = WaiterID()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
                    let id = waiters.register(signal, continuation)
                    box.id = id
                    let timer = Task { [weak self] in
                        try? await Task.sleep(for: timeout)
                        guard !Task.isCancelled else { return }
                        await self?.failWaiter(id, with: timeoutError)
                    }
                    waiters.attach(timer: timer, to: id)
                }
            } onCancel: {
                Task { [weak self] in
                    if let id = box.id { await self?.failWaiter(id, with: .cancelled) }
                }
            }
        } catch let error as DiscordVoiceError {
            throw error
        } catch {
            throw .cancelled
        }
    }
}

/// The id of a registered waiter, readable from the cancellation handler.
private final class WaiterID: Sendable {
    private let value = Mutex<Int?>(nil)
    var id: Int? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
