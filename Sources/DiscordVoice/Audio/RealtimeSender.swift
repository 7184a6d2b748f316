import Foundation
import Synchronization

/// Sends queued Opus frames as RTP on absolute 20 ms deadlines from a dedicated thread.
///
/// The async side keeps a few frames queued; the thread sleeps to each deadline, packetizes,
/// encrypts and sends, so no executor hop or task wake-up sits on the timing path. When the
/// queue runs dry, or the sender holds while the voice connection moves to another server,
/// the schedule re-anchors rather than bursting the missed slots.
final class RealtimeSender: Sendable {
    /// Where packets go: the packetizer (SSRC, counters, key) and the UDP socket.
    struct Transport: Sendable {
        var packetizer: RTP.Packetizer
        let udp: VoiceUDPSocket
    }

    /// What one run of the thread did.
    struct Report: Sendable {
        /// Frames sent (audio and silence).
        var framesSent = 0
        /// Schedule slots skipped after stalls.
        var skippedSlots: Int64 = 0
        /// How late each send was against its deadline.
        var lateness = LatenessHistogram()
    }

    private enum Next {
        case frame([UInt8])
        case starved
        case finished
    }

    private struct State {
        var transport: Transport?
        var queue: [[UInt8]] = []
        var head = 0
        var finishing = false
        var running = false
        /// Keep every frame queued and send nothing until released (the transport is being replaced).
        var holding = false
        /// The thread took a frame and is sleeping to its deadline.
        var inHand = false
        /// Send the queue's head instead of the frame in hand (it was taken back).
        var replaceInHand = false
        var report = Report()
        var done: CheckedContinuation<Report, Never>?
    }

    /// Frames the async side keeps queued ahead of the thread.
    static let lookahead = 3
    private let state = Mutex(State())

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

    /// Whether a sending thread is running.
    var isRunning: Bool {
        state.withLock { $0.running }
    }

    /// Frames waiting to be sent.
    var queued: Int {
        state.withLock { $0.queue.count - $0.head }
    }

    /// Starts a sending thread whose first frame is due one interval from now.
    func start() {
        state.withLock { state in
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
            state.finishing = false
            state.running = true
            state.report = Report()
        }
        let thread = Thread { [self] in run(schedule: FrameSchedule(origin: .now + .milliseconds(20))) }
        thread.name = "discordvoice.sender"
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    /// Queues one frame for the next free slot.
    func enqueue(_ frame: [UInt8]) {
        state.withLock { $0.queue.append(frame) }
    }

    /// Takes back every frame not sent yet, including one the thread is waiting to send, and
    /// returns how many; frames enqueued next take their slots in order.
    func takeQueued() -> Int {
        state.withLock { state in
            var count = state.queue.count - state.head
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
            if state.inHand {
                state.replaceInHand = true
                count += 1
            }
            return count
        }
    }

    /// Queues `tail` after what is left (or instead of it when `dropQueued`), then waits for the thread to send all.
    func finish(tail: [[UInt8]], dropQueued: Bool) async -> Report {
        await withCheckedContinuation { continuation in
            let report: Report? = state.withLock { state in
                guard state.running else { return state.report }
                if dropQueued {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                state.queue.append(contentsOf: tail)
                state.finishing = true
                state.done = continuation
                return nil
            }
            if let report { continuation.resume(returning: report) }
        }
    }

    private func run(schedule: FrameSchedule) {
        Self.requestRealtimePriority()
        var schedule = schedule
        var packet = [UInt8](repeating: 0, count: 1500)
        while true {
            switch next() {
            case .finished:
                let (report, done) = state.withLock { state in
                    state.running = false
                    state.report.skippedSlots = schedule.skippedSlots
                    defer { state.done = nil }
                    return (state.report, state.done)
                }
                done?.resume(returning: report)
                return
            case .starved:
                Self.sleep(for: .milliseconds(1))
            case .frame(let frame):
                Self.sleep(until: schedule.deadline)
                send(frame, packet: &packet, lateness: .now - schedule.deadline)
                schedule.advance(now: .now)
            }
        }
    }

    private func next() -> Next {
        state.withLock { state in
            guard !state.holding else { return .starved }
            guard state.head < state.queue.count else { return state.finishing ? .finished : .starved }
            state.inHand = true
            return .frame(Self.popHead(&state))
        }
    }

    private static func popHead(_ state: inout State) -> [UInt8] {
        let frame = state.queue[state.head]
        state.head += 1
        if state.head == state.queue.count {
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
        }
        return frame
    }

    /// Sends under the lock, so a transport replaced or closed by `setTransport` is never written to.
    private func send(_ frame: [UInt8], packet: inout [UInt8], lateness: Duration) {
        state.withLock { state in
            state.inHand = false
            var frame = frame
            if state.replaceInHand {
                state.replaceInHand = false
                guard !state.holding else { return }
                guard state.head < state.queue.count else { return }
                frame = Self.popHead(&state)
            }
            guard !state.holding else {
                state.queue.insert(frame, at: state.head)
                return
            }
            guard state.transport != nil else { return }
            do {
                try state.transport!.packetizer.packetize(frame, into: &packet)
            } catch {
                return
            }
            state.transport!.udp.send(packet)
            state.report.framesSent += 1
            state.report.lateness.record(lateness)
        }
    }

    /// Asks for SCHED_FIFO so a busy machine delays the sends less; without the privilege
    /// the thread keeps the default policy.
    private static func requestRealtimePriority() {
        var parameters = sched_param()
        parameters.sched_priority = 10
        _ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
    }

    private static func sleep(until deadline: ContinuousClock.Instant) {
        while true {
            let remaining = deadline - .now
            guard remaining > .zero else { return }
            sleep(for: remaining)
        }
    }

    private static func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&request, nil)
    }
}
