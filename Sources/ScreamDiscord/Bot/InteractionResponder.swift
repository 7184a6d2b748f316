import DiscordREST
import DiscordVoice
import Logging
import Synchronization

/// The bot's side of Discord's REST API: registering `/scream`, answering interactions and
/// editing the answers.
///
/// An acknowledgement is sent at once, without holding up the next interaction; editing the
/// answer later first waits for its acknowledgement, since Discord refuses an edit before it.
final class InteractionResponder: Sendable {
    private let rest: RESTClient
    private let logger: Logger
    private let acknowledgements = Mutex<[String: Task<Bool, Never>]>([:])
    private let failureContinuation: AsyncStream<String>.Continuation

    /// Sentences for failures the bot cannot go on after: the REST client stopped sending
    /// because too many requests were refused.
    let failures: AsyncStream<String>

    /// A responder sending through `rest`, which the bot owns and shuts down.
    init(rest: RESTClient, logger: Logger) {
        self.rest = rest
        self.logger = logger
        (failures, failureContinuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Puts `/scream` in place, in `guild` or globally, unless Discord already holds exactly it.
    ///
    /// Discord allows 200 command creations a day per guild, so an unchanged command is
    /// never written again.
    func register(applicationID: Snowflake, guild: Snowflake?, maxDuration: Double) async throws(BotError) {
        let wanted = [ScreamCommand.definition(maxDuration: maxDuration)]
        let application = applicationID.description
        do throws(DiscordRESTError) {
            let current: [ApplicationCommand]
            if let guild {
                current = try await rest.guildCommands(application: application, guild: guild.description)
            } else {
                current = try await rest.globalCommands(application: application)
            }
            if ScreamCommand.registered(current, match: wanted) {
                logger.info("/scream is registered \(Self.scope(guild)) already")
                return
            }
            if let guild {
                try await rest.overwriteGuildCommands(application: application, guild: guild.description, wanted)
            } else {
                try await rest.overwriteGlobalCommands(application: application, wanted)
            }
            logger.info("registered /scream \(Self.scope(guild))")
        } catch .forbidden {
            throw .missingCommandsScope(inviteURL: ScreamCommand.inviteURL(applicationID: applicationID))
        } catch {
            throw .rest(error.description)
        }
    }

    /// Answers `interaction` publicly with `text` (the scream is on its way).
    func acknowledge(_ interaction: Interaction, with text: String) {
        respond(interaction, .message(text, ephemeral: false), keep: true)
    }

    /// Answers `interaction` with `text` that only its user sees (why there is no scream).
    func refuse(_ interaction: Interaction, with text: String) {
        respond(interaction, .message(text, ephemeral: true), keep: false)
    }

    /// Replaces the answer to `interaction` with `text`, once the answer has been sent.
    func finish(_ interaction: Interaction, with text: String) async {
        let acknowledgement = acknowledgements.withLock { $0.removeValue(forKey: interaction.token) }
        guard await acknowledgement?.value ?? true else { return }
        do {
            try await rest.editOriginalResponse(
                application: interaction.applicationID.description, token: interaction.token,
                MessagePayload(content: text, allowedMentions: MessagePayload.AllowedMentions.none))
        } catch {
            logger.warning("could not edit the answer to interaction \(interaction.id): \(error)")
            report(error)
        }
    }

    /// Sends the response on a task of its own; `keep` holds the task for ``finish(_:with:)``.
    private func respond(_ interaction: Interaction, _ response: InteractionResponse, keep: Bool) {
        let task = Task {
            do throws(DiscordRESTError) {
                try await rest.respond(toInteraction: interaction.id.description, token: interaction.token, with: response)
                return true
            } catch {
                logger.warning("could not answer interaction \(interaction.id): \(error)")
                report(error)
                return false
            }
        }
        if keep { acknowledgements.withLock { $0[interaction.token] = task } }
    }

    /// Passes on the one REST failure that stops the bot.
    private func report(_ error: DiscordRESTError) {
        if case .invalidRequestLimitReached = error { failureContinuation.yield(error.description) }
    }

    private static func scope(_ guild: Snowflake?) -> String {
        guild.map { "in guild \($0)" } ?? "globally"
    }
}
