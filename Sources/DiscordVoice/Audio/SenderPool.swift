import Foundation

/// The process-wide real-time senders: a small fixed set of threads, each sending the packets of
/// the streams assigned to it on their absolute deadlines, earliest first.
///
/// A stream joins the thread with the fewest streams when it starts and stays there until it
/// finishes. Each thread sleeps to its earliest deadline on a condition variable, so a stream
/// that starts sooner wakes it; one packet (packetize, transport AEAD, `sendto`) takes a few
/// microseconds, so two threads carry hundreds of streams within a fraction of a millisecond.
/// Deadlines fall on ``RealtimeSender/deadlineGrid``, so a thread sends every packet due at one
/// grid point in one wake-up.
final class SenderPool: Sendable {
    /// The pool every voice connection of the process shares.
    static let shared = SenderPool(threads: defaultThreadCount)

    /// Two threads, or one on a single core: one thread for each core keeps a send waiting for
    /// at most the packets due before it on that thread, and more threads than cores only make
    /// them preempt one another.
    static var defaultThreadCount: Int {
        min(2, max(1, ProcessInfo.processInfo.activeProcessorCount))
    }

    private let workers: [SenderThread]

    /// A pool of `threads` sending threads, started at once.
    init(threads: Int) {
        workers = (0..<max(1, threads)).map { SenderThread(index: $0) }
    }

    /// How many streams each thread is sending.
    var loads: [Int] { workers.map(\.load) }

    /// Puts `stream` on the least-loaded thread, its first packet due at `due`.
    func add(_ stream: RealtimeSender, due: ContinuousClock.Instant) {
        let worker = workers.min { $0.load < $1.load }!
        worker.add(stream, due: due)
    }
}

/// One sending thread of the pool: a min-heap of stream deadlines under a mutex, and a
/// condition variable it sleeps on until the earliest one.
private final class SenderThread: @unchecked Sendable {
    // The mutex, condition variable and heap live for the whole process (the pool is never torn
    // down); the heap and `streams` are only touched with the mutex held. The heap holds each
    // stream retained once, from `add` until its play finishes, as an unmanaged reference: its
    // entries are then plain bits, and sifting them costs no reference counting.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var heap = DeadlineHeap<Unmanaged<RealtimeSender>>()
    private var streams = 0

    init(index: Int) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        heap.reserveCapacity(64)
        let thread = Thread { [self] in run() }
        thread.name = "discordvoice.sender.\(index)"
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    /// Streams on this thread.
    var load: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return streams
    }

    /// Adds `stream`, growing the heap here rather than on the sending thread.
    func add(_ stream: RealtimeSender, due: ContinuousClock.Instant) {
        pthread_mutex_lock(mutex)
        if heap.count + 1 > heap.capacity { heap.reserveCapacity(max(64, heap.capacity * 2)) }
        heap.push(.passRetained(stream), due: due)
        streams += 1
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func run() {
        Self.requestRealtimePriority()
        var packet = [UInt8](repeating: 0, count: 1500)
        pthread_mutex_lock(mutex)
        while true {
            guard let first = heap.first else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            let remaining = first.due - .now
            if remaining > .zero {
                var deadline = Self.monotonicDeadline(after: remaining)
                pthread_cond_timedwait(condition, mutex, &deadline)
                continue
            }
            let entry = heap.popFirst()!
            pthread_mutex_unlock(mutex)
            let step = entry.item._withUnsafeGuaranteedRef { $0.tick(packet: &packet) }
            pthread_mutex_lock(mutex)
            switch step {
            case .wait(let until):
                heap.push(entry.item, due: until)
            case .finished(let report, let done):
                streams -= 1
                pthread_mutex_unlock(mutex)
                done?.resume(returning: report)
                entry.item.release()
                pthread_mutex_lock(mutex)
            }
        }
    }

    /// CLOCK_MONOTONIC now plus `duration`, as the condition variable's absolute timeout.
    private static func monotonicDeadline(after duration: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = duration.components
        var nanoseconds = now.tv_nsec + Int(attoseconds / 1_000_000_000)
        var wholeSeconds = now.tv_sec + Int(seconds)
        if nanoseconds >= 1_000_000_000 {
            nanoseconds -= 1_000_000_000
            wholeSeconds += 1
        }
        return timespec(tv_sec: wholeSeconds, tv_nsec: nanoseconds)
    }

    /// Asks for SCHED_FIFO so a busy machine delays the sends less; without the privilege
    /// the thread keeps the default policy.
    private static func requestRealtimePriority() {
        var parameters = sched_param()
        parameters.sched_priority = 10
        _ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
    }
}
