/// Absolute 20 ms send deadlines: slot n is due at origin + n × interval, so no error accumulates.
///
/// After a stall longer than one interval the schedule skips to the next slot still ahead instead
/// of bursting the missed frames.
public struct FrameSchedule: Sendable {
    /// The instant of slot 0.
    public let origin: ContinuousClock.Instant
    /// Time between frames.
    public let interval: Duration
    /// The slot of the next frame.
    public private(set) var slot: Int64 = 0
    /// How many slots were skipped after stalls.
    public private(set) var skippedSlots: Int64 = 0

    /// A schedule whose first frame is due at `origin`.
    public init(origin: ContinuousClock.Instant, interval: Duration = .milliseconds(20)) {
        self.origin = origin
        self.interval = interval
    }

    /// When the next frame is due.
    public var deadline: ContinuousClock.Instant { origin + interval * slot }

    /// Moves to the next slot; if `now` is already a full interval past it, jumps to the first slot at
    /// least half an interval ahead, so the frames after a stall keep their spacing.
    public mutating func advance(now: ContinuousClock.Instant) {
        slot += 1
        let late = now - deadline
        if late >= interval {
            let next = Int64(((now - origin + interval / 2) / interval).rounded(.up))
            skippedSlots += next - slot
            slot = next
        }
    }
}
