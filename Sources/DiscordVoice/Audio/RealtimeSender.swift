import Foundation
import Synchronization

/// Sends queued Opus frames as RTP on absolute 20 ms deadlines from the process's sending threads.
///
/// The async side keeps a few frames queued; a thread of ``SenderPool`` sends each frame at its
/// deadline (packetize, encrypt, send), so no executor hop or task wake-up sits on the timing
/// path. When the queue runs dry, or the sender holds while the voice connection moves to another
/// server, the schedule re-anchors rather than bursting the missed slots.
final class RealtimeSender: Sendable {
    /// Where packets go: the packetizer (SSRC, counters, key) and the UDP socket.
    struct Transport: Sendable {
        var packetizer: RTP.Packetizer
        let udp: VoiceUDPSocket
    }

    /// What one play did.
    struct Report: Sendable {
        /// Frames sent (audio and silence).
        var framesSent = 0
        /// Schedule slots skipped after stalls.
        var skippedSlots: Int64 = 0
        /// How late each send was against its deadline.
        var lateness = LatenessHistogram()
    }

    private struct State {
        var transport: Transport?
        var queue = FrameRing()
        var finishing = false
        var running = false
        /// Keep every frame queued and send nothing until released (the transport is being replaced).
        var holding = false
        var schedule = FrameSchedule(origin: .now)
        var report = Report()
        var done: CheckedContinuation<Report, Never>?
    }

    /// What the sending thread does next with this stream.
    enum Step {
        /// Come back at this instant.
        case wait(until: ContinuousClock.Instant)
        /// The play is over: hand `report` to whoever waits for it.
        case finished(Report, CheckedContinuation<Report, Never>?)
    }

    /// Frames the async side keeps queued ahead of the sending thread (160 ms).
    ///
    /// The play loop tops the queue up to this, then sleeps ``refillPause`` (half of it), so it
    /// wakes 12.5 times a second per stream and still has 80 ms of frames in hand when it does:
    /// with hundreds of streams sharing the cooperative pool, a wake-up a few tens of
    /// milliseconds late costs nothing, and the wake-ups themselves stay cheap.
    static let lookahead = 8
    /// How long the play loop sleeps once the queue holds ``lookahead`` frames.
    static let refillPause = Duration.milliseconds(20) * (lookahead / 2)
    /// How often a stream with nothing to send (starved or held) is looked at again.
    static let recheckInterval = Duration.milliseconds(1)

    private let state = Mutex(State())
    private let pool: SenderPool

    /// A sender whose plays run on `pool`.
    init(pool: SenderPool = .shared) {
        self.pool = pool
    }

    /// Replaces the transport; nil (the connection is gone) also ends a hold and drops every frame from now on.
    func setTransport(_ transport: Transport?) {
        state.withLock { state in
            state.transport = transport
            if transport == nil { state.holding = false }
        }
    }

    /// Holds the frames: none is sent or dropped, and the schedule waits, until `release()`.
    func hold() {
        state.withLock { $0.holding = true }
    }

    /// Ends a hold: the held frames go out on the current transport, on a re-anchored schedule.
    func release() {
        state.withLock { $0.holding = false }
    }

    /// Whether a play is running.
    var isRunning: Bool {
        state.withLock { $0.running }
    }

    /// Frames waiting to be sent.
    var queued: Int {
        state.withLock { $0.queue.count }
    }

    /// Every stream's deadlines fall on this process-wide grid, so the streams due within one
    /// step go out on one wake-up of their sending thread: with hundreds of streams, a thread
    /// wakes once a millisecond instead of once per packet.
    static let deadlineGrid = Duration.milliseconds(1)
    /// Where the grid starts.
    private static let gridEpoch = ContinuousClock.now

    /// The first grid point at or after `instant`.
    static func onGrid(_ instant: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let nanoseconds = { (duration: Duration) in
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        }
        let step = nanoseconds(deadlineGrid)
        let steps = (nanoseconds(instant - gridEpoch) + step - 1) / step
        return gridEpoch + deadlineGrid * steps
    }

    /// Starts a play on the pool whose first frame is due one interval from now, on the grid.
    func start() {
        let origin = Self.onGrid(.now + .milliseconds(20))
        state.withLock { state in
            state.queue.removeAll()
            state.finishing = false
            state.running = true
            state.schedule = FrameSchedule(origin: origin)
            state.report = Report()
        }
        pool.add(self, due: origin)
    }

    /// Queues one frame for the next free slot.
    func enqueue(_ frame: [UInt8]) {
        state.withLock { $0.queue.append(frame) }
    }

    /// Takes back every frame not sent yet and returns how many; frames enqueued next take their slots in order.
    func takeQueued() -> Int {
        state.withLock { state in
            defer { state.queue.removeAll() }
            return state.queue.count
        }
    }

    /// Queues `tail` after what is left (or instead of it when `dropQueued`), then waits for the thread to send all.
    func finish(tail: [[UInt8]], dropQueued: Bool) async -> Report {
        await withCheckedContinuation { continuation in
            let report: Report? = state.withLock { state in
                guard state.running else { return state.report }
                if dropQueued { state.queue.removeAll() }
                for frame in tail { state.queue.append(frame) }
                state.finishing = true
                state.done = continuation
                return nil
            }
            if let report { continuation.resume(returning: report) }
        }
    }

    /// Called by the sending thread at or after the stream's due instant: sends the head frame if
    /// its deadline has come and says when to come back, or that the play is over (the thread
    /// then resumes the waiting `finish`).
    ///
    /// Sends under the lock, so a transport replaced or closed by `setTransport` is never written to.
    func tick(packet: inout [UInt8]) -> Step {
        state.withLock { state in
            let now = ContinuousClock.now
            guard !state.holding else { return .wait(until: now + Self.recheckInterval) }
            guard !state.queue.isEmpty else {
                guard state.finishing else { return .wait(until: now + Self.recheckInterval) }
                state.running = false
                state.report.skippedSlots = state.schedule.skippedSlots
                defer { state.done = nil }
                return .finished(state.report, state.done)
            }
            let deadline = state.schedule.deadline
            guard now >= deadline else { return .wait(until: deadline) }
            if state.transport != nil, (try? state.transport!.packetizer.packetize(state.queue.first, into: &packet)) != nil {
                state.transport!.udp.send(packet)
                state.report.framesSent += 1
                state.report.lateness.record(now - deadline)
            }
            state.queue.removeFirst()
            state.schedule.advance(now: .now)
            return .wait(until: state.schedule.deadline)
        }
    }
}
