/// What can go wrong talking to Discord's HTTP API; every case reads as one sentence that
/// names the route (`METHOD /template`) but never the bot token or an interaction token.
public enum DiscordRESTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL is not an absolute http(s) URL.
    case invalidBaseURL(String)
    /// The extra CA file could not be read or holds no certificate.
    case caFileUnreadable(path: String, reason: String)
    /// 401: Discord did not accept the bot token.
    case unauthorized(route: String)
    /// 403: the bot lacks access or a permission for this route.
    case forbidden(route: String, APIError?)
    /// 404: the resource (guild, interaction, webhook, command) does not exist.
    case notFound(route: String, APIError?)
    /// Any other 4xx answer, with Discord's JSON error when it sent one.
    case rejected(route: String, status: Int, APIError?)
    /// 5xx answers kept coming after the retries.
    case serverError(route: String, status: Int, attempts: Int)
    /// 429 answers kept coming after the retries.
    case rateLimited(route: String, attempts: Int)
    /// The connection failed (refused, reset, TLS, timeout).
    case transport(route: String, reason: String)
    /// A success answer whose body did not decode as the expected JSON.
    case malformedResponse(route: String, reason: String)
    /// Too many 401, 403 and 429 answers in the sliding window: the client refuses every request.
    case invalidRequestLimitReached(count: Int, windowMinutes: Int)
    /// The client was shut down.
    case shutDown

    /// One sentence saying what happened.
    public var description: String {
        switch self {
        case .invalidBaseURL(let url):
            "The Discord API URL \"\(url)\" is not an absolute http or https URL."
        case .caFileUnreadable(let path, let reason):
            "The CA file \(path) could not be used: \(reason)."
        case .unauthorized(let route):
            "Discord rejected the bot token on \(route) (401 Unauthorized): check that the token is current."
        case .forbidden(let route, let error):
            "Discord refused \(route): \(error?.summary ?? "403 Forbidden, the bot lacks access or a permission")."
        case .notFound(let route, let error):
            "Discord found nothing at \(route): \(error?.summary ?? "404 Not Found")."
        case .rejected(let route, let status, let error):
            "Discord refused \(route): \(error?.summary ?? "HTTP \(status)")."
        case .serverError(let route, let status, let attempts):
            "Discord kept failing \(route) with HTTP \(status) after \(attempts) attempts."
        case .rateLimited(let route, let attempts):
            "Discord kept rate limiting \(route) after \(attempts) attempts."
        case .transport(let route, let reason):
            "Could not reach Discord for \(route): \(reason)."
        case .malformedResponse(let route, let reason):
            "Discord's answer to \(route) could not be read: \(reason)."
        case .invalidRequestLimitReached(let count, let minutes):
            "Stopped calling Discord: \(count) requests were refused (401, 403 or 429) in \(minutes) minutes, and more would get this IP banned."
        case .shutDown:
            "The Discord REST client was already shut down."
        }
    }
}

/// Discord's JSON error body: `{"code", "message", "errors"}`.
public struct APIError: Sendable, Hashable {
    /// Discord's JSON error code (e.g. 50001 Missing Access, 40060 already acknowledged).
    public var code: Int
    /// Discord's message.
    public var message: String
    /// The first field error from `errors`, as `path: message`, when there is one.
    public var firstFieldError: String?

    /// Creates an error value.
    public init(code: Int, message: String, firstFieldError: String? = nil) {
        self.code = code
        self.message = message
        self.firstFieldError = firstFieldError
    }

    /// `Message (code N)`, then the first field error.
    var summary: String {
        let trimmed = message.hasSuffix(".") ? String(message.dropLast()) : message
        let base = "\(trimmed) (code \(code))"
        return firstFieldError.map { "\(base); \($0)" } ?? base
    }
}
