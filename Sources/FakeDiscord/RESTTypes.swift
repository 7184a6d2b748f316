extension FakeDiscord {
    /// How the fake's HTTP API behaves from the start.
    public struct RESTOptions: Sendable, Hashable {
        /// Requests each route bucket allows per period.
        public var bucketSize: Int
        /// Length of a bucket's period, counted from its first request.
        public var bucketResetAfter: Duration
        /// What `GET /gateway/bot` reports as `session_start_limit`; its `maxConcurrency` is
        /// also what the gateway enforces.
        public var sessionStartLimit: SessionStartLimit
        /// The shard count `GET /gateway/bot` recommends.
        public var shards: Int
        /// Whether the bot was invited with the `applications.commands` scope; when false,
        /// command writes answer 403 Missing Access (code 50001).
        public var commandsScope: Bool

        /// Creates options; the defaults allow 50 requests a second per bucket.
        public init(
            bucketSize: Int = 50, bucketResetAfter: Duration = .seconds(1),
            sessionStartLimit: SessionStartLimit = SessionStartLimit(), commandsScope: Bool = true, shards: Int = 1
        ) {
            self.shards = shards
            self.bucketSize = bucketSize
            self.bucketResetAfter = bucketResetAfter
            self.sessionStartLimit = sessionStartLimit
            self.commandsScope = commandsScope
        }
    }

    /// `session_start_limit` of `GET /gateway/bot`.
    public struct SessionStartLimit: Sendable, Hashable {
        /// Sessions allowed per period.
        public var total: Int
        /// Sessions left.
        public var remaining: Int
        /// Milliseconds until the period resets.
        public var resetAfter: Int
        /// IDENTIFYs allowed per 5 seconds.
        public var maxConcurrency: Int

        /// Creates a limit; the default is Discord's for a small bot with a full budget.
        public init(total: Int = 1000, remaining: Int = 1000, resetAfter: Int = 86_400_000, maxConcurrency: Int = 1) {
            self.total = total
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.maxConcurrency = maxConcurrency
        }
    }

    /// How a scripted REST fault answers.
    public enum RESTFault: Sendable, Hashable {
        /// 429 with `retry_after` (body), `Retry-After` (whole seconds, rounded up) and `X-RateLimit-Scope`;
        /// scope `global` also sets `X-RateLimit-Global` and `"global": true`.
        case rateLimited(retryAfter: Duration, scope: String = "user")
        /// 429 as a shared REST proxy sends it, without any `X-RateLimit-*` header: `Retry-After`
        /// (whole seconds, rounded up) when `header`, a JSON `retry_after` (seconds) when `body`.
        case proxyRateLimited(retryAfter: Duration, header: Bool, body: Bool)
        /// This status with a JSON error body (e.g. 502).
        case status(Int)
    }

    /// One HTTP request as the fake's API received it, recorded before the answer went out.
    public struct RESTRequest: Sendable, Hashable {
        /// Arrival time on the monotonic clock.
        public var arrival: ContinuousClock.Instant
        /// HTTP method.
        public var method: String
        /// Path below `/api/v10` (the whole path when it is not below it), without the query.
        public var path: String
        /// The query string, empty when none.
        public var query: String
        /// `METHOD /template` of the route it matched (as `RESTRoute` names them), nil when none did.
        public var route: String?
        /// Header names lowercased; `authorization` is `Bot <token>` when it held the fake's token and
        /// `<other>` otherwise, so the token itself is never kept.
        public var headers: [String: String]
        /// The body as text.
        public var body: String
        /// The status the fake answered with.
        public var status: Int
    }

    /// The route templates the fake serves, as `RESTRequest.route` and fault matching name them.
    public enum RESTRoute {
        /// `GET /gateway/bot`.
        public static let gatewayBot = "GET /gateway/bot"
        /// `GET /users/@me`.
        public static let currentUser = "GET /users/@me"
        /// `GET` or `PUT` (prefix the method) on global commands.
        public static let globalCommands = "/applications/{application.id}/commands"
        /// `GET` or `PUT` (prefix the method) on guild commands.
        public static let guildCommands = "/applications/{application.id}/guilds/{guild.id}/commands"
        /// The interaction callback.
        public static let interactionCallback = "POST /interactions/{interaction.id}/{interaction.token}/callback"
        /// Editing the original response.
        public static let editOriginal = "PATCH /webhooks/{application.id}/{interaction.token}/messages/@original"
        /// A follow-up message.
        public static let followUp = "POST /webhooks/{application.id}/{interaction.token}"
        /// The bot's own voice state in a guild: on a stage it sits in with Mute Members,
        /// `{"channel_id", "suppress": false}` makes it a speaker and dispatches its VOICE_STATE_UPDATE.
        public static let currentUserVoiceState = "PATCH /guilds/{guild.id}/voice-states/@me"
    }

    /// What happened to one interaction, keyed by its token.
    public struct InteractionRecord: Sendable, Hashable {
        /// Interaction id from the callback path.
        public var id: String
        /// Callback type (4 message, 5 deferred).
        public var callbackType: Int
        /// Flags of the callback (64 ephemeral).
        public var flags: Int
        /// Content of the original response: the type 4 message or the latest edit; nil while deferred.
        public var original: String?
        /// Edits of the original response so far.
        public var edits: Int
        /// Contents of follow-up messages, in order.
        public var followUps: [String]
    }
}
