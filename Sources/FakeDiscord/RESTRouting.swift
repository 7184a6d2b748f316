import Foundation

/// The fake API's state and request handling; guarded by `FakeDiscord.REST`'s mutex.
struct RESTState {
    struct PendingFault {
        var fault: FakeDiscord.RESTFault
        var route: String?
        var left: Int
    }

    private struct Bucket {
        var remaining: Int
        var resetAt: ContinuousClock.Instant
    }

    /// A matched route: its `METHOD /template`, the key that splits its bucket, and what it does.
    private struct Match {
        var route: String
        var major: String
        var isExempt: Bool
        var answer: (inout RESTState, JSONValue?) -> RESTReply
    }

    let options: FakeDiscord.Options
    /// The gateway side, for the routes that change voice state; reached only on its event loop.
    let world: World
    var gatewayURL = ""
    var requests: [FakeDiscord.RESTRequest] = []
    var faults: [PendingFault] = []
    var commands: [String: [JSONValue]] = [:]
    var interactions: [String: FakeDiscord.InteractionRecord] = [:]
    private var buckets: [String: Bucket] = [:]
    private var nextSnowflake: Int64 = 900_000_000_000_000_000
    private let clock = ContinuousClock()

    init(options: FakeDiscord.Options, world: World) {
        self.options = options
        self.world = world
    }

    private var applicationID: String { options.botUser.id }

    mutating func handle(_ request: RESTServerRequest) -> RESTReply {
        let arrival = clock.now
        let (fullPath, query) = Self.split(request.uri)
        let prefix = "/api/v10"
        let path = fullPath.hasPrefix(prefix + "/") ? String(fullPath.dropFirst(prefix.count)) : nil
        let authorization = request.headers.first { $0.0.lowercased() == "authorization" }?.1
        let authorized = authorization == "Bot " + options.token
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        if authorization != nil { headers["authorization"] = authorized ? "Bot <token>" : "<other>" }

        var reply: RESTReply
        var route: String?
        if let match = path.flatMap({ self.match(request.method, $0) }) {
            route = match.route
            reply = answer(match, authorization: authorization, authorized: authorized, body: request.body, arrival: arrival)
        } else {
            reply = .error(404, code: 0, "404: Not Found")
        }
        if reply.body != nil { reply.headers.append(("Content-Type", "application/json")) }
        let record = FakeDiscord.RESTRequest(
            arrival: arrival, method: request.method, path: path ?? fullPath,
            query: query, route: route, headers: headers, body: String(decoding: request.body, as: UTF8.self),
            status: reply.status)
        requests.append(record)
        world.recorder.record(.restRequest(record))
        return reply
    }

    private mutating func answer(
        _ match: Match, authorization: String?, authorized: Bool, body: [UInt8], arrival: ContinuousClock.Instant
    ) -> RESTReply {
        if !authorized && !(match.isExempt && authorization == nil) {
            return .error(401, code: 0, "401: Unauthorized")
        }
        if let index = faults.firstIndex(where: { $0.route == nil || $0.route == match.route }) {
            let fault = faults[index].fault
            faults[index].left -= 1
            if faults[index].left <= 0 { faults.remove(at: index) }
            return reply(to: fault, route: match.route)
        }
        let bucketKey = Self.bucketHash(match.route) + ":" + match.major
        var bucket = buckets[bucketKey] ?? Bucket(remaining: options.rest.bucketSize, resetAt: arrival)
        if arrival >= bucket.resetAt {
            bucket = Bucket(remaining: options.rest.bucketSize, resetAt: arrival + options.rest.bucketResetAfter)
        }
        let resetAfter = Self.seconds(bucket.resetAt - arrival)
        if bucket.remaining <= 0 {
            return reply(to: .rateLimited(retryAfter: bucket.resetAt - arrival), route: match.route)
        }
        bucket.remaining -= 1
        buckets[bucketKey] = bucket
        let json: JSONValue?
        if body.isEmpty {
            json = nil
        } else if let parsed = JSONValue(parsing: String(decoding: body, as: UTF8.self)) {
            json = parsed
        } else {
            return .error(400, code: 50109, "The request body contains invalid JSON.")
        }
        var reply = match.answer(&self, json)
        reply.headers += rateLimitHeaders(route: match.route, remaining: bucket.remaining, resetAfter: resetAfter)
        return reply
    }

    private func reply(to fault: FakeDiscord.RESTFault, route: String) -> RESTReply {
        switch fault {
        case .rateLimited(let retryAfter, let scope):
            let seconds = Self.seconds(retryAfter)
            let global = scope == "global"
            var reply = RESTReply.json(
                429,
                .object([
                    "message": .string("You are being rate limited."), "retry_after": .double(seconds),
                    "global": .bool(global),
                ]))
            reply.headers = [
                ("Retry-After", String(Int(seconds.rounded(.up)))), ("X-RateLimit-Scope", scope),
            ]
            if global { reply.headers.append(("X-RateLimit-Global", "true")) }
            else { reply.headers += rateLimitHeaders(route: route, remaining: 0, resetAfter: seconds) }
            return reply
        case .proxyRateLimited(let retryAfter, let header, let body):
            let seconds = Self.seconds(retryAfter)
            var reply = body
                ? RESTReply.json(429, ["message": "You are being rate limited.", "retry_after": Self.number(seconds)])
                : RESTReply(status: 429, headers: [], body: nil)
            if header { reply.headers.append(("Retry-After", String(Int(seconds.rounded(.up))))) }
            return reply
        case .status(let status):
            return .error(status, code: 0, "\(status): Server Error")
        }
    }

    /// `seconds` as a JSON integer when whole (as proxies often write it), else as a decimal.
    private static func number(_ seconds: Double) -> JSONValue {
        seconds == seconds.rounded() ? .int(Int64(seconds)) : .double(seconds)
    }

    private func rateLimitHeaders(route: String, remaining: Int, resetAfter: Double) -> [(String, String)] {
        let reset = Date().timeIntervalSince1970 + resetAfter
        return [
            ("X-RateLimit-Limit", String(options.rest.bucketSize)),
            ("X-RateLimit-Remaining", String(remaining)),
            ("X-RateLimit-Reset", String(format: "%.3f", reset)),
            ("X-RateLimit-Reset-After", String(format: "%.3f", resetAfter)),
            ("X-RateLimit-Bucket", Self.bucketHash(route)),
        ]
    }

    // MARK: Routes

    private func match(_ method: String, _ path: String) -> Match? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        func plain(_ route: String, major: String = "", _ answer: @escaping (inout RESTState, JSONValue?) -> RESTReply) -> Match {
            Match(route: route, major: major, isExempt: false, answer: answer)
        }
        let routes = FakeDiscord.RESTRoute.self
        if method == "GET", bind("gateway/bot", parts) != nil {
            return plain(routes.gatewayBot) { state, _ in state.gatewayBot() }
        }
        if method == "GET", bind("users/@me", parts) != nil {
            return plain(routes.currentUser) { state, _ in .json(200, state.botUserJSON) }
        }
        if ["GET", "PUT"].contains(method), let ids = bind("applications/*/commands", parts) {
            return plain(method + " " + routes.globalCommands) { state, body in
                state.commands(method, application: ids[0], guild: nil, body: body)
            }
        }
        if ["GET", "PUT"].contains(method), let ids = bind("applications/*/guilds/*/commands", parts) {
            return plain(method + " " + routes.guildCommands, major: ids[1]) { state, body in
                state.commands(method, application: ids[0], guild: ids[1], body: body)
            }
        }
        if method == "POST", let ids = bind("interactions/*/*/callback", parts) {
            return Match(route: routes.interactionCallback, major: ids[0] + "/" + ids[1], isExempt: true) { state, body in
                state.callback(id: ids[0], token: ids[1], body: body)
            }
        }
        if method == "PATCH", let ids = bind("webhooks/*/*/messages/@original", parts) {
            return Match(route: routes.editOriginal, major: ids[0] + "/" + ids[1], isExempt: true) { state, body in
                state.webhook(application: ids[0], token: ids[1], body: body, followUp: false)
            }
        }
        if method == "POST", let ids = bind("webhooks/*/*", parts) {
            return Match(route: routes.followUp, major: ids[0] + "/" + ids[1], isExempt: true) { state, body in
                state.webhook(application: ids[0], token: ids[1], body: body, followUp: true)
            }
        }
        if method == "PATCH", let ids = bind("guilds/*/voice-states/@me", parts) {
            return plain(routes.currentUserVoiceState, major: ids[0]) { state, body in
                state.world.modifyBotVoiceState(guildID: ids[0], body: body)
            }
        }
        return nil
    }

    /// The path parts standing where `pattern` has `*`, or nil when the path does not fit it.
    private func bind(_ pattern: String, _ parts: [String]) -> [String]? {
        let expected = pattern.split(separator: "/").map(String.init)
        guard expected.count == parts.count else { return nil }
        var captured: [String] = []
        for (want, part) in zip(expected, parts) {
            if want == "*" {
                guard !part.isEmpty else { return nil }
                captured.append(part)
            } else if want != part {
                return nil
            }
        }
        return captured
    }

    private func gatewayBot() -> RESTReply {
        let limit = options.rest.sessionStartLimit
        let base = gatewayURL.split(separator: "?").first.map { String($0).hasSuffix("/") ? String($0.dropLast()) : String($0) }
        return .json(
            200,
            .object([
                "url": .string(base ?? gatewayURL), "shards": .int(Int64(options.rest.shards)),
                "session_start_limit": .object([
                    "total": .int(Int64(limit.total)), "remaining": .int(Int64(limit.remaining)),
                    "reset_after": .int(Int64(limit.resetAfter)), "max_concurrency": .int(Int64(limit.maxConcurrency)),
                ]),
            ]))
    }

    private var botUserJSON: JSONValue {
        .object([
            "id": .string(options.botUser.id), "username": .string(options.botUser.username),
            "discriminator": .string("0"), "global_name": .null, "bot": .bool(options.botUser.bot),
            "avatar": .null, "flags": .int(0),
        ])
    }

    private mutating func commands(_ method: String, application: String, guild: String?, body: JSONValue?) -> RESTReply {
        guard application == applicationID else { return .error(403, code: 50001, "Missing Access") }
        if let guild, !options.guilds.contains(where: { $0.id == guild }) {
            return .error(403, code: 50001, "Missing Access")
        }
        let key = guild ?? ""
        if method == "GET" { return .json(200, .array(commands[key] ?? [])) }
        guard options.rest.commandsScope else { return .error(403, code: 50001, "Missing Access") }
        guard case .array(let items) = body ?? .null else {
            return .error(400, code: 50035, "Invalid Form Body", errors: Self.fieldError([], "Expected an array of commands."))
        }
        var stored: [JSONValue] = []
        for (index, item) in items.enumerated() {
            if let problem = Self.problem(in: item) {
                return .error(
                    400, code: 50035, "Invalid Form Body", errors: Self.fieldError([String(index), problem.field], problem.message))
            }
            guard case .object(var fields) = item else { continue }
            let previous = commands[key]?.first { $0["name"] == item["name"] && ($0["type"] ?? .int(1)) == (item["type"] ?? .int(1)) }
            fields["id"] = previous?["id"] ?? .string(snowflake())
            fields["application_id"] = .string(applicationID)
            fields["version"] = .string(snowflake())
            fields["dm_permission"] = .bool(true)
            if let guild { fields["guild_id"] = .string(guild) }
            stored.append(.object(fields))
        }
        commands[key] = stored
        return .json(200, .array(stored))
    }

    /// Discord's rules for a command's name and description, checked on the first broken one.
    private static func problem(in command: JSONValue) -> (field: String, message: String)? {
        guard let name = command["name"]?.string, (1...32).contains(name.count) else {
            return ("name", "Must be between 1 and 32 in length.")
        }
        let isSlash = (command["type"]?.int ?? 1) == 1
        if isSlash && name != name.lowercased() { return ("name", "Command name is invalid") }
        let description = command["description"]?.string ?? ""
        if isSlash && !(1...100).contains(description.count) { return ("description", "Must be between 1 and 100 in length.") }
        return nil
    }

    /// Discord's `errors` object for one field: `{"a": {"b": {"_errors": [{"code", "message"}]}}}`.
    static func fieldError(_ path: [String], _ message: String) -> JSONValue {
        var value = JSONValue.object(["_errors": .array([.object(["code": .string("BASE_TYPE_INVALID"), "message": .string(message)])])])
        for key in path.reversed() { value = .object([key: value]) }
        return value
    }

    private mutating func callback(id: String, token: String, body: JSONValue?) -> RESTReply {
        if interactions[token] != nil { return .error(400, code: 40060, "Interaction has already been acknowledged.") }
        guard let type = body?["type"]?.int, [4, 5].contains(type) else {
            return .error(400, code: 50035, "Invalid Form Body", errors: Self.fieldError(["type"], "Value must be one of (4, 5)."))
        }
        interactions[token] = FakeDiscord.InteractionRecord(
            id: id, callbackType: type, flags: body?["data"]?["flags"]?.int ?? 0,
            original: type == 4 ? body?["data"]?["content"]?.string ?? "" : nil, edits: 0, followUps: [])
        return .noContent
    }

    private mutating func webhook(application: String, token: String, body: JSONValue?, followUp: Bool) -> RESTReply {
        guard application == applicationID, var record = interactions[token] else {
            return .error(404, code: 10015, "Unknown Webhook")
        }
        let content = body?["content"]?.string
        let flags = body?["flags"]?.int ?? (followUp ? 0 : record.flags)
        if followUp {
            record.followUps.append(content ?? "")
        } else {
            record.original = content ?? record.original ?? ""
            record.edits += 1
        }
        interactions[token] = record
        let channel = options.guilds.first?.channels.first?.id ?? "0"
        return .json(
            200,
            .object([
                "id": .string(snowflake()), "channel_id": .string(channel), "type": .int(followUp ? 19 : 20),
                "content": .string(followUp ? content ?? "" : record.original ?? ""), "flags": .int(Int64(flags)),
                "author": botUserJSON, "tts": .bool(false), "mentions": .array([]),
            ]))
    }

    // MARK: Helpers

    private mutating func snowflake() -> String {
        nextSnowflake += 1
        return String(nextSnowflake)
    }

    private static func split(_ uri: String) -> (path: String, query: String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }

    /// A stable bucket id per route, as Discord's opaque `X-RateLimit-Bucket` hashes are.
    static func bucketHash(_ route: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in route.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// Seconds, rounded up to the millisecond so a client waiting this long is never early.
    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let milliseconds = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Double(seconds) + Double(milliseconds) / 1000
    }
}
