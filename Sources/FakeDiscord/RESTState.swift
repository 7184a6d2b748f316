import Foundation
import Synchronization

extension FakeDiscord {
    /// The fake's HTTP API (`/api/v10`): state, scripted faults and the record of requests.
    ///
    /// Every request is recorded, with the status chosen for it, before the answer is written,
    /// here and in the ``Recorder`` (so it can be ordered against gateway and voice events).
    /// The API is served on the gateway's event loop, so a route that changes voice state
    /// dispatches its gateway event before it answers.
    public final class REST: Sendable {
        private let state: Mutex<RESTState>

        init(options: Options, world: World) {
            state = Mutex(RESTState(options: options, world: world))
        }

        /// Every request so far, in arrival order.
        public var requests: [RESTRequest] { state.withLock { $0.requests } }

        /// Requests whose route is `route` (`METHOD /template`).
        public func requests(to route: String) -> [RESTRequest] {
            requests.filter { $0.route == route }
        }

        /// What happened to the interaction with this token, nil before its callback.
        public func interaction(token: String) -> InteractionRecord? {
            state.withLock { $0.interactions[token] }
        }

        /// The stored global commands (`guild` nil) or one guild's, as JSON text in order.
        public func commands(guild: String? = nil) -> [String] {
            state.withLock { $0.commands[guild ?? ""]?.map(\.text) ?? [] }
        }

        /// Answers the next `count` requests to `route` (`METHOD /template`; nil: any route) with `fault`.
        public func inject(_ fault: RESTFault, count: Int = 1, route: String? = nil) {
            state.withLock { $0.faults.append(.init(fault: fault, route: route, left: count)) }
        }

        /// Waits until `condition` holds for the requests so far.
        ///
        /// - Returns: the requests at that moment.
        @discardableResult
        public func waitFor(
            _ what: String, timeout: Duration, _ condition: @Sendable ([RESTRequest]) -> Bool
        ) async throws -> [RESTRequest] {
            try await poll(what, timeout: timeout) {
                let snapshot = requests
                return condition(snapshot) ? snapshot : nil
            }
        }

        /// Waits until `count` requests to `route` (nil: any) have arrived; returns those.
        @discardableResult
        public func waitForRequests(_ count: Int, to route: String? = nil, timeout: Duration) async throws -> [RESTRequest] {
            let matching = { @Sendable (requests: [RESTRequest]) in requests.filter { route == nil || $0.route == route } }
            return matching(
                try await waitFor("\(count) requests to \(route ?? "the API")", timeout: timeout) { matching($0).count >= count })
        }

        /// Waits until the interaction with `token` satisfies `condition`; returns its record.
        @discardableResult
        public func waitForInteraction(
            token: String, timeout: Duration, _ condition: @Sendable (InteractionRecord) -> Bool
        ) async throws -> InteractionRecord {
            try await poll("the interaction to reach the expected state", timeout: timeout) {
                interaction(token: token).flatMap { condition($0) ? $0 : nil }
            }
        }

        /// Sets the gateway URL `GET /gateway/bot` reports.
        func setGatewayURL(_ url: String) {
            state.withLock { $0.gatewayURL = url }
        }

        /// Answers one request and records it.
        func handle(_ request: RESTServerRequest) -> RESTReply {
            state.withLock { $0.handle(request) }
        }
    }
}

/// A request as the HTTP server hands it over.
struct RESTServerRequest {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
}

/// An answer for the HTTP server to write.
struct RESTReply {
    var status: Int
    var headers: [(String, String)]
    var body: String?

    static func json(_ status: Int, _ value: JSONValue) -> RESTReply {
        RESTReply(status: status, headers: [], body: value.text)
    }

    /// Discord's error body `{"code", "message"}`.
    static func error(_ status: Int, code: Int, _ message: String, errors: JSONValue? = nil) -> RESTReply {
        var body: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let errors { body["errors"] = errors }
        return json(status, .object(body))
    }

    static let noContent = RESTReply(status: 204, headers: [], body: nil)
}
