import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client for Discord's HTTP API (v10) that honours its rate limits.
///
/// It owns one `HTTPClient`; call `shutdown()` when done. Every request carries
/// `Authorization: Bot <token>` and the `DiscordBot (url, version)` user agent; the token
/// never appears in logs or errors. Requests wait for exhausted buckets and global pauses
/// before they go out, 429s are waited for and retried, 500/502/504 are retried with
/// backoff, and once too many invalid requests (401, 403, 429) pile up in ten minutes
/// every further request is refused with `DiscordRESTError.invalidRequestLimitReached`.
public final class RESTClient: Sendable {
    /// Limits and retry counts; the defaults suit a bot.
    public struct Configuration: Sendable {
        /// Requests a second outside `/interactions` and `/webhooks` (Discord allows 50).
        public var globalRequestsPerSecond: Int
        /// Invalid answers (401, 403, 429 not of shared scope) in ten minutes after which every request is refused.
        public var invalidRequestLimit: Int
        /// Retries after a 429 before giving up.
        public var rateLimitRetries: Int
        /// Retries after a 500, 502 or 504 before giving up.
        public var serverErrorRetries: Int
        /// Wait before the first server-error retry; each later one waits twice as long.
        public var serverErrorBackoff: Duration
        /// Timeout of one HTTP exchange.
        public var requestTimeout: Duration
        /// How long connecting may keep failing (refused, TLS) before the request fails.
        public var connectTimeout: Duration
        /// Whether a failed connection is tried again, with backoff, until `connectTimeout`;
        /// when false the first failure (refused, untrusted certificate) fails the request.
        public var retriesFailedConnections: Bool

        /// Creates a configuration.
        public init(
            globalRequestsPerSecond: Int = 50, invalidRequestLimit: Int = 1000, rateLimitRetries: Int = 5,
            serverErrorRetries: Int = 3, serverErrorBackoff: Duration = .milliseconds(500),
            requestTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
            retriesFailedConnections: Bool = true
        ) {
            self.globalRequestsPerSecond = globalRequestsPerSecond
            self.invalidRequestLimit = invalidRequestLimit
            self.rateLimitRetries = rateLimitRetries
            self.serverErrorRetries = serverErrorRetries
            self.serverErrorBackoff = serverErrorBackoff
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.retriesFailedConnections = retriesFailedConnections
        }
    }

    /// Discord's production API base URL.
    public static let defaultBaseURL = "https://discord.com/api/v10"

    /// `DiscordBot (url, version)`, the user agent Discord asks bots to send.
    public static func userAgent(url: String, version: String) -> String {
        "DiscordBot (\(url), \(version))"
    }

    private let http: HTTPClient
    private let baseURL: String
    private let token: String
    private let userAgent: String
    private let configuration: Configuration
    private let limiter: RateLimiter
    private let logger: Logger

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - token: the bare bot token (without `Bot `).
    ///   - baseURL: the API root including the version, without a trailing slash.
    ///   - caFile: a PEM file whose certificates are trusted in addition to the system roots.
    ///   - userAgent: see `userAgent(url:version:)`.
    public init(
        token: String, baseURL: String = RESTClient.defaultBaseURL, caFile: String? = nil, userAgent: String,
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "discord.rest")
    ) throws(DiscordRESTError) {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else { throw .invalidBaseURL(baseURL) }
        var httpConfiguration = HTTPClient.Configuration(tlsConfiguration: try Self.tls(caFile: caFile))
        httpConfiguration.timeout = .init(connect: .nanoseconds(configuration.connectTimeout.nanoseconds))
        httpConfiguration.connectionPool.retryConnectionEstablishment = configuration.retriesFailedConnections
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.baseURL = base
        self.token = token
        self.userAgent = userAgent
        self.configuration = configuration
        self.limiter = RateLimiter(
            globalPerSecond: configuration.globalRequestsPerSecond, invalidLimit: configuration.invalidRequestLimit)
        self.logger = logger
    }

    /// Closes the connections; the client cannot be used afterwards.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Sends `route` with an optional JSON body and returns the body of the 2xx answer.
    func send(_ route: Route, body: Data? = nil) async throws(DiscordRESTError) -> Data {
        var rateLimited = 0
        var serverErrors = 0
        while true {
            let waited = try await limiter.acquire(route)
            if waited > .milliseconds(1) {
                logger.debug("waited for the rate limit", metadata: ["route": "\(route)", "waited": "\(waited)"])
            }
            let status: Int, headers: HTTPHeaders, data: Data
            do {
                (status, headers, data) = try await exchange(route, body: body)
            } catch {
                await limiter.record(nil, for: route)
                RESTMetrics.recordRequest(route, status: nil)
                throw error
            }
            RESTMetrics.recordRequest(route, status: status)
            let answer = Self.answer(status: status, headers: headers, body: data)
            await limiter.record(answer, for: route)
            logger.debug("answered", metadata: ["route": "\(route)", "status": "\(status)"])
            if status == 429 { RESTMetrics.recordRateLimit(route, scope: Self.scope(of: answer)) }
            switch status {
            case 200..<300:
                return data
            case 429 where rateLimited < configuration.rateLimitRetries:
                rateLimited += 1
                logger.info(
                    "rate limited, retrying",
                    metadata: [
                        "route": "\(route)", "retry_after": "\(answer.retryAfter ?? 0)",
                        "scope": "\(answer.scope ?? (answer.global ? "global" : "user"))",
                    ])
                if answer.retryAfter == nil { try await sleep(.seconds(1), route) }
            case 429:
                throw .rateLimited(route: route.description, attempts: rateLimited + 1)
            case 500, 502, 504:
                guard serverErrors < configuration.serverErrorRetries else {
                    throw .serverError(route: route.description, status: status, attempts: serverErrors + 1)
                }
                let backoff = configuration.serverErrorBackoff * (1 << serverErrors)
                serverErrors += 1
                logger.info("server error, retrying", metadata: ["route": "\(route)", "status": "\(status)", "backoff": "\(backoff)"])
                try await sleep(backoff, route)
            default:
                throw Self.error(status: status, body: data, route: route)
            }
        }
    }

    /// The scope of a 429 as a metric label: Discord's `X-RateLimit-Scope` (`other` for a
    /// value it does not document), else `global` or `user` from the body.
    private static func scope(of answer: RateLimiter.Answer) -> String {
        guard let scope = answer.scope else { return answer.global ? "global" : "user" }
        return ["user", "global", "shared"].contains(scope) ? scope : "other"
    }

    private func exchange(_ route: Route, body: Data?) async throws(DiscordRESTError) -> (Int, HTTPHeaders, Data) {
        var request = HTTPClientRequest(url: baseURL + route.path)
        request.method = route.method
        request.headers.add(name: "Authorization", value: "Bot \(token)")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
            let buffer = try await response.body.collect(upTo: 8 << 20)
            return (Int(response.status.code), response.headers, Data(buffer.readableBytesView))
        } catch {
            if let error = error as? HTTPClientError, error == .alreadyShutdown { throw .shutDown }
            throw .transport(route: route.description, reason: scrub(Self.reason(error), route))
        }
    }

    /// A short reason for a failed exchange; library errors keep their own text after it.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .connectTimeout:
            "connecting timed out"
        case let error as HTTPClientError where error == .deadlineExceeded:
            "no answer within the request timeout"
        case is NIOSSLError:
            "the TLS handshake failed (\(error))"
        default:
            "\(error)"
        }
    }

    private func sleep(_ duration: Duration, _ route: Route) async throws(DiscordRESTError) {
        do { try await Task.sleep(for: duration) } catch { throw .transport(route: route.description, reason: "cancelled") }
    }

    /// Removes the token and the concrete path (which may hold an interaction token) from a library's message.
    private func scrub(_ text: String, _ route: Route) -> String {
        text.replacingOccurrences(of: token, with: "<token>").replacingOccurrences(of: route.path, with: route.template)
    }

    private static func answer(status: Int, headers: HTTPHeaders, body: Data) -> RateLimiter.Answer {
        var answer = RateLimiter.Answer(
            status: status,
            bucket: headers.first(name: "X-RateLimit-Bucket"),
            remaining: headers.first(name: "X-RateLimit-Remaining").flatMap { Int($0) },
            resetAfter: headers.first(name: "X-RateLimit-Reset-After").flatMap { Double($0) },
            global: headers.first(name: "X-RateLimit-Global")?.lowercased() == "true",
            scope: headers.first(name: "X-RateLimit-Scope"),
            retryAfter: nil)
        if status == 429 {
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            answer.retryAfter = (json?["retry_after"] as? Double) ?? headers.first(name: "Retry-After").flatMap { Double($0) }
            if json?["global"] as? Bool == true { answer.global = true }
        }
        return answer
    }

    private static func error(status: Int, body: Data, route: Route) -> DiscordRESTError {
        let apiError = APIError(json: body)
        return switch status {
        case 401: .unauthorized(route: route.description)
        case 403: .forbidden(route: route.description, apiError)
        case 404: .notFound(route: route.description, apiError)
        case 500..<600: .serverError(route: route.description, status: status, attempts: 1)
        default: .rejected(route: route.description, status: status, apiError)
        }
    }

    private static func tls(caFile: String?) throws(DiscordRESTError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        guard let caFile else { return configuration }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw .caFileUnreadable(path: caFile, reason: "\(error)")
        }
        guard !certificates.isEmpty else { throw .caFileUnreadable(path: caFile, reason: "no PEM certificates in it") }
        configuration.additionalTrustRoots = [.certificates(certificates)]
        return configuration
    }
}

extension Duration {
    /// The whole duration in nanoseconds.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
