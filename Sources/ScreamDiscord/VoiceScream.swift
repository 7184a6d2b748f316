import DiscordVoice
import Logging
import ScreamCore

/// One scream on one voice connection, the step that `play` and `bot` share: start the
/// synthesizer, get the connection, stream the packets.
public enum VoiceScream {
    /// Renders `recipe` as it is sent, a few frames ahead of the 20 ms schedule, and plays it
    /// on the connection `connect` returns; a broken backend fails before `connect` runs.
    ///
    /// `beforePlaying` runs once the connection is there; with `leaving` false the connection
    /// stays in the channel for the next scream. Returns what the sender did.
    public static func play(
        _ recipe: ScreamRecipe, bitrate: Int, backend: Backend, logger: Logger, leaving: Bool = true,
        connect: () async throws -> VoiceConnection, beforePlaying: () -> Void = {},
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> PlaybackReport {
        let params = recipe.params
        switch backend {
        case .native:
            return try await stream(
                ScreamGenerator(params: params), recipe, bitrate: bitrate, logger: logger, leaving: leaving, connect: connect,
                beforePlaying: beforePlaying)
        case .ffmpeg:
            let source = try FFmpegGenerator(params: params)
            return try await withTaskCancellationHandler {
                try await stream(
                    source, recipe, bitrate: bitrate, logger: logger, leaving: leaving, connect: connect,
                    beforePlaying: beforePlaying)
            } onCancel: {
                source.cancel()
            }
        }
    }

    private static func stream<Source: PCMSource>(
        _ source: sending Source, _ recipe: ScreamRecipe, bitrate: Int, logger: Logger, leaving: Bool,
        connect: () async throws -> VoiceConnection, beforePlaying: () -> Void,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> PlaybackReport {
        let packets = try OpusPacketSequence(source: source, frames: recipe.params.sampleCount, bitrate: bitrate)
        let frames = packets.frameCount
        let voice = try await connect()
        beforePlaying()
        logger.info("playing \(recipe.origin): \(frames) frames")
        return try await voice.play(packets, leaving: leaving)
    }
}
