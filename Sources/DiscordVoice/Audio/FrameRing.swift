/// A FIFO of frames in reused buffers: once a slot has held a frame of some size, later frames
/// up to that size are copied in and out without allocating.
///
/// Appending grows the ring when it is full (on the caller's thread); reading and dropping the
/// head never allocate or free, so the sending thread only ever does those.
struct FrameRing {
    private var slots: [[UInt8]]
    private var head = 0
    /// Frames waiting.
    private(set) var count = 0

    /// A ring with `capacity` slots of `bytes` reserved bytes each.
    init(capacity: Int = 8, bytes: Int = 512) {
        slots = (0..<max(1, capacity)).map { _ in
            var slot: [UInt8] = []
            slot.reserveCapacity(bytes)
            return slot
        }
    }

    /// Whether no frame waits.
    var isEmpty: Bool { count == 0 }

    /// The oldest frame; the ring must not be empty.
    var first: [UInt8] { slots[head] }

    /// Copies `frame` in after the others.
    mutating func append(_ frame: [UInt8]) {
        if count == slots.count { grow() }
        let index = (head + count) % slots.count
        slots[index].removeAll(keepingCapacity: true)
        slots[index].append(contentsOf: frame)
        count += 1
    }

    /// Drops the oldest frame, keeping its buffer for a later one.
    mutating func removeFirst() {
        guard count > 0 else { return }
        head = (head + 1) % slots.count
        count -= 1
        if count == 0 { head = 0 }
    }

    /// Drops every frame, keeping the buffers.
    mutating func removeAll() {
        head = 0
        count = 0
    }

    /// Doubles the slots, keeping the frames in order from slot 0.
    private mutating func grow() {
        let old = slots.count
        var reordered: [[UInt8]] = []
        reordered.reserveCapacity(old * 2)
        for offset in 0..<old { reordered.append(slots[(head + offset) % old]) }
        for _ in 0..<old {
            var slot: [UInt8] = []
            slot.reserveCapacity(slots[0].capacity)
            reordered.append(slot)
        }
        slots = reordered
        head = 0
    }
}
