import Foundation

extension RESTClient {
    /// `GET /gateway/bot`: the gateway URL, recommended shards and the session start budget.
    public func gatewayBot() async throws(DiscordRESTError) -> GatewayBot {
        try await call(.gatewayBot)
    }

    /// `GET /users/@me`: the bot's own user.
    public func currentUser() async throws(DiscordRESTError) -> User {
        try await call(.currentUser)
    }

    /// `GET /applications/{application.id}/commands`: the global commands.
    public func globalCommands(application: String) async throws(DiscordRESTError) -> [ApplicationCommand] {
        try await call(.globalCommands(.GET, application: application))
    }

    /// `PUT /applications/{application.id}/commands`: replaces every global command with `commands`.
    @discardableResult
    public func overwriteGlobalCommands(
        application: String, _ commands: [ApplicationCommand]
    ) async throws(DiscordRESTError) -> [ApplicationCommand] {
        try await call(.globalCommands(.PUT, application: application), body: commands)
    }

    /// `GET /applications/{application.id}/guilds/{guild.id}/commands`: one guild's commands.
    public func guildCommands(application: String, guild: String) async throws(DiscordRESTError) -> [ApplicationCommand] {
        try await call(.guildCommands(.GET, application: application, guild: guild))
    }

    /// `PUT /applications/{application.id}/guilds/{guild.id}/commands`: replaces one guild's commands.
    @discardableResult
    public func overwriteGuildCommands(
        application: String, guild: String, _ commands: [ApplicationCommand]
    ) async throws(DiscordRESTError) -> [ApplicationCommand] {
        try await call(.guildCommands(.PUT, application: application, guild: guild), body: commands)
    }

    /// `POST /interactions/{interaction.id}/{interaction.token}/callback`: the one answer an interaction gets.
    public func respond(
        toInteraction id: String, token: String, with response: InteractionResponse
    ) async throws(DiscordRESTError) {
        let route = Route.interactionCallback(id: id, token: token)
        _ = try await send(route, body: try encode(response, route))
    }

    /// `PATCH /webhooks/{application.id}/{interaction.token}/messages/@original`: edits the response.
    @discardableResult
    public func editOriginalResponse(
        application: String, token: String, _ message: MessagePayload
    ) async throws(DiscordRESTError) -> Message {
        try await call(.editOriginal(application: application, token: token), body: message)
    }

    /// `POST /webhooks/{application.id}/{interaction.token}`: a follow-up message.
    @discardableResult
    public func createFollowUp(
        application: String, token: String, _ message: MessagePayload
    ) async throws(DiscordRESTError) -> Message {
        try await call(.followUp(application: application, token: token), body: message)
    }

    /// `PATCH /guilds/{guild.id}/voice-states/@me`: with `suppress: false` the bot speaks on the
    /// stage `channel` it has joined, which takes Mute Members there.
    ///
    /// Discord confirms with a VOICE_STATE_UPDATE on the gateway, which may come before or after the answer.
    public func updateCurrentUserVoiceState(guild: String, channel: String, suppress: Bool) async throws(DiscordRESTError) {
        let route = Route.currentUserVoiceState(guild: guild)
        _ = try await send(route, body: try encode(CurrentUserVoiceState(channelID: channel, suppress: suppress), route))
    }

    private func call<Response: Decodable>(_ route: Route) async throws(DiscordRESTError) -> Response {
        try decode(try await send(route), route)
    }

    private func call<Body: Encodable, Response: Decodable>(
        _ route: Route, body: Body
    ) async throws(DiscordRESTError) -> Response {
        try decode(try await send(route, body: try encode(body, route)), route)
    }

    private func encode<Body: Encodable>(_ body: Body, _ route: Route) throws(DiscordRESTError) -> Data {
        do { return try JSONEncoder().encode(body) } catch {
            throw .malformedResponse(route: route.description, reason: "the request body did not encode: \(error)")
        }
    }

    private func decode<Response: Decodable>(_ data: Data, _ route: Route) throws(DiscordRESTError) -> Response {
        do { return try JSONDecoder().decode(Response.self, from: data) } catch {
            throw .malformedResponse(route: route.description, reason: "\(error)")
        }
    }
}
