import NIOHTTP1

/// One Discord API endpoint applied to concrete ids: the method, the route template that
/// errors and logs name, the concrete path, and the major parameter its rate limit is keyed by.
struct Route: Sendable, CustomStringConvertible {
    /// HTTP method.
    let method: HTTPMethod
    /// The path with placeholders, e.g. `/applications/{application.id}/commands`; never holds a secret.
    let template: String
    /// The concrete path below the base URL, e.g. `/applications/123/commands`; may hold an interaction token.
    let path: String
    /// The id (and token) that splits a bucket per resource; empty for routes without one.
    let majorParameter: String

    /// Creates a route; `path` is `template` with its placeholders filled in.
    init(_ method: HTTPMethod, _ template: String, path: String, major: String = "") {
        self.method = method
        self.template = template
        self.path = path
        self.majorParameter = major
    }

    /// `METHOD /template`: what errors and logs show.
    var description: String { "\(method.rawValue) \(template)" }

    /// Interaction and webhook routes are not bound to the global rate limit.
    var isExemptFromGlobalLimit: Bool {
        template.hasPrefix("/interactions/") || template.hasPrefix("/webhooks/")
    }

    /// The key under which the bucket hash Discord names for this route is remembered.
    var bucketLookupKey: String { description }
}

extension Route {
    /// `GET /gateway/bot`.
    static let gatewayBot = Route(.GET, "/gateway/bot", path: "/gateway/bot")
    /// `GET /users/@me`.
    static let currentUser = Route(.GET, "/users/@me", path: "/users/@me")

    /// `GET` or `PUT` on the application's global commands.
    static func globalCommands(_ method: HTTPMethod, application: String) -> Route {
        Route(
            method, "/applications/{application.id}/commands",
            path: "/applications/\(application)/commands")
    }

    /// `GET` or `PUT` on the application's commands in one guild.
    static func guildCommands(_ method: HTTPMethod, application: String, guild: String) -> Route {
        Route(
            method, "/applications/{application.id}/guilds/{guild.id}/commands",
            path: "/applications/\(application)/guilds/\(guild)/commands", major: guild)
    }

    /// `POST /interactions/{interaction.id}/{interaction.token}/callback`.
    static func interactionCallback(id: String, token: String) -> Route {
        Route(
            .POST, "/interactions/{interaction.id}/{interaction.token}/callback",
            path: "/interactions/\(id)/\(token)/callback", major: id + "/" + token)
    }

    /// `PATCH /webhooks/{application.id}/{interaction.token}/messages/@original`.
    static func editOriginal(application: String, token: String) -> Route {
        Route(
            .PATCH, "/webhooks/{application.id}/{interaction.token}/messages/@original",
            path: "/webhooks/\(application)/\(token)/messages/@original", major: application + "/" + token)
    }

    /// `POST /webhooks/{application.id}/{interaction.token}`.
    static func followUp(application: String, token: String) -> Route {
        Route(
            .POST, "/webhooks/{application.id}/{interaction.token}",
            path: "/webhooks/\(application)/\(token)", major: application + "/" + token)
    }

    /// `PATCH /guilds/{guild.id}/voice-states/@me`.
    static func currentUserVoiceState(guild: String) -> Route {
        Route(.PATCH, "/guilds/{guild.id}/voice-states/@me", path: "/guilds/\(guild)/voice-states/@me", major: guild)
    }
}
