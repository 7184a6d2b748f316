import DiscordVoice
import Logging
import ScreamCore

/// One scream on one voice connection, the step that `play` and `bot` share: start the
/// synthesizer (or find the packets in the cache), get the connection, stream the packets.
public enum VoiceScream {
    /// Renders `recipe` as it is sent, a few frames ahead of the 20 ms schedule, and plays it
    /// on the connection `connect` returns; a broken backend fails before `connect` runs.
    ///
    /// With a `cache`, a scream whose packets are stored plays from there with no synthesis and
    /// no encoding; one that is not is encoded as it plays and stored once it played whole.
    /// `beforePlaying` runs once the connection is there; with `leaving` false the connection
    /// stays in the channel for the next scream. Returns what the sender did.
    public static func play(
        _ recipe: ScreamRecipe, bitrate: Int, backend: Backend, logger: Logger, leaving: Bool = true,
        cache: PacketCache? = nil, connect: () async throws -> VoiceConnection, beforePlaying: () -> Void = {},
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> PlaybackReport {
        let key = PacketCache.Key(params: recipe.params, bitrate: bitrate, backend: backend)
        let cached = cache?.packets(for: key)
        if cache != nil { BotMetrics.recordPacketCache(hit: cached != nil) }
        if let packets = cached {
            let voice = try await connect()
            beforePlaying()
            logger.info("playing \(recipe.origin): \(packets.count) frames, cache hit")
            return try await voice.play(StoredPacketSequence(packets), leaving: leaving)
        }
        let store = cache.map { cache in Store(cache: cache, key: key) }
        let params = recipe.params
        switch backend {
        case .native:
            return try await stream(
                ScreamGenerator(params: params), recipe, bitrate: bitrate, logger: logger, leaving: leaving, store: store,
                connect: connect, beforePlaying: beforePlaying)
        case .ffmpeg:
            let source = try FFmpegGenerator(params: params)
            return try await withTaskCancellationHandler {
                try await stream(
                    source, recipe, bitrate: bitrate, logger: logger, leaving: leaving, store: store, connect: connect,
                    beforePlaying: beforePlaying)
            } onCancel: {
                source.cancel()
            }
        }
    }

    /// Where a played sequence goes once it completed.
    private struct Store {
        var cache: PacketCache
        var key: PacketCache.Key
    }

    private static func stream<Source: PCMSource>(
        _ source: sending Source, _ recipe: ScreamRecipe, bitrate: Int, logger: Logger, leaving: Bool, store: Store?,
        connect: () async throws -> VoiceConnection, beforePlaying: () -> Void,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> PlaybackReport {
        let packets = try OpusPacketSequence(source: source, frames: recipe.params.sampleCount, bitrate: bitrate)
        let frames = packets.frameCount
        let voice = try await connect()
        beforePlaying()
        guard let store else {
            logger.info("playing \(recipe.origin): \(frames) frames")
            return try await voice.play(packets, leaving: leaving)
        }
        logger.info("playing \(recipe.origin): \(frames) frames, cache miss")
        let recording = RecordingPacketSequence(packets, limit: store.cache.capacity)
        let copy = recording.recording
        let report = try await voice.play(recording, leaving: leaving)
        if !report.cancelled, let whole = copy.wholeSequence {
            store.cache.store(whole, for: store.key)
        }
        return report
    }
}
