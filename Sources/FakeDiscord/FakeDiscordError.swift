/// What can go wrong running the fake Discord.
public enum FakeDiscordError: Error, Sendable, CustomStringConvertible {
    /// A wait passed its timeout.
    case timedOut(String, Duration)
    /// A listening socket could not be opened.
    case bindFailed(String)
    /// The test TLS material could not be loaded or written.
    case tlsSetup(String)

    /// One sentence saying what happened.
    public var description: String {
        switch self {
        case .timedOut(let what, let timeout):
            "Timed out after \(timeout) waiting for \(what)."
        case .bindFailed(let detail):
            "The fake Discord could not listen on 127.0.0.1: \(detail)."
        case .tlsSetup(let detail):
            "The fake Discord could not set up its test TLS certificate: \(detail)."
        }
    }
}
