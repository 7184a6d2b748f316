/// A binary min-heap of items keyed by a deadline: the earliest comes out first.
///
/// Pushing within the reserved capacity and popping never allocate, so a sending thread can
/// keep one; whoever adds items from elsewhere reserves room first.
struct DeadlineHeap<Item> {
    /// One item and when it is due.
    struct Entry {
        var due: ContinuousClock.Instant
        var item: Item
    }

    private var entries: [Entry] = []

    /// How many items are waiting.
    var count: Int { entries.count }

    /// The earliest entry, if any.
    var first: Entry? { entries.first }

    /// Makes room for `capacity` items, so pushes up to that count do not allocate.
    mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// How many items fit before a push allocates.
    var capacity: Int { entries.capacity }

    /// Adds `item` due at `due`.
    mutating func push(_ item: Item, due: ContinuousClock.Instant) {
        entries.append(Entry(due: due, item: item))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].due < entries[parent].due else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    mutating func popFirst() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let first = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { break }
            let right = left + 1
            let earlier = right < entries.count && entries[right].due < entries[left].due ? right : left
            guard entries[earlier].due < entries[parent].due else { break }
            entries.swapAt(parent, earlier)
            parent = earlier
        }
        return first
    }
}
