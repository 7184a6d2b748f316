/// Checks `probe` every 5 ms until it yields a value.
///
/// - Throws: `FakeDiscordError.timedOut` naming `what` when `timeout` passes first.
func poll<T>(_ what: String, timeout: Duration, _ probe: () -> T?) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if let value = probe() { return value }
        if clock.now >= deadline { throw FakeDiscordError.timedOut(what, timeout) }
        try await Task.sleep(for: .milliseconds(5))
    }
}
