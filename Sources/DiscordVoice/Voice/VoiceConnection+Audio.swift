/// What a playback did.
public struct PlaybackReport: Sendable, Hashable {
    /// Opus frames sent (not counting the closing silence).
    public var framesSent: Int
    /// Silence frames sent after the audio.
    public var silenceFrames: Int
    /// Schedule slots skipped after stalls (the source fell more than 20 ms behind).
    public var skippedSlots: Int64
    /// Whether the task was cancelled before the packets ran out.
    public var cancelled: Bool
    /// How late each packet left against its absolute deadline.
    public var lateness: LatenessHistogram
}

/// Streaming Opus packets as RTP on absolute 20 ms deadlines.
extension VoiceConnection {
    /// The Opus silence frame sent five times after the audio.
    public static let silenceFrame: [UInt8] = [0xF8, 0xFF, 0xFE]
    /// How many silence frames end a playback.
    public static let silenceFrameCount = 5

    /// Plays `packets` (one 20 ms Opus packet each), then silence, SPEAKING 0, and leaves the
    /// channel unless `leaving` is false, which keeps the connection ready for the next play.
    ///
    /// Cancelling the calling task stops the audio at once and still sends the silence, turns
    /// speaking off and leaves (within about 0.1 s); the report then says `cancelled`.
    public func play<Packets: AsyncSequence>(_ packets: Packets, leaving: Bool = true) async throws -> PlaybackReport
    where Packets.Element == [UInt8] {
        try await play(packets, transform: PassthroughFrameTransform(), leaving: leaving)
    }

    /// Plays `packets` through `transform` (the DAVE seam) before packetizing.
    public func play<Packets: AsyncSequence, Transform: OpusFrameTransform>(
        _ packets: Packets, transform: Transform, leaving: Bool = true
    ) async throws -> PlaybackReport where Packets.Element == [UInt8] {
        if let failure { throw failure }
        guard state == .ready || state == .recovering else { throw DiscordVoiceError.notConnected }
        guard !sender.isRunning else { throw DiscordVoiceError.alreadyPlaying }
        var transform = transform
        do {
            try await waitUntilAudible()
        } catch {
            await leave()
            throw error
        }
        await sendSpeaking(true)
        sender.start()
        daveOutput.streaming = true
        logger.info("playing")
        var iterator = packets.makeAsyncIterator()
        var opus: [UInt8] = []
        var frame: [UInt8] = []
        var queued = 0
        var cancelled = false
        do {
            while true {
                while sender.queued >= RealtimeSender.lookahead, failure == nil {
                    try await Task.sleep(for: RealtimeSender.refillPause)
                }
                if let failure { throw failure }
                guard let packet = try await iterator.next(isolation: self) else { break }
                try transform.transform(packet, into: &opus)
                try daveOutput.frame(opus, into: &frame)
                sender.enqueue(frame)
                queued += 1
            }
        } catch {
            daveOutput.streaming = false
            guard Task.isCancelled else {
                _ = await sender.finish(tail: [], dropQueued: true)
                await leave()
                throw error
            }
            cancelled = true
        }
        daveOutput.streaming = false
        cancelled = cancelled || Task.isCancelled
        let silence = Array(repeating: Self.silenceFrame, count: Self.silenceFrameCount)
        let report = await sender.finish(tail: silence, dropQueued: cancelled)
        await sendSpeaking(false)
        if leaving || cancelled { await leave() }
        if let failure { throw failure }
        let audioFrames = report.framesSent - Self.silenceFrameCount
        logger.info("played \(audioFrames) frames\(cancelled ? " (cancelled)" : "")")
        return PlaybackReport(
            framesSent: audioFrames, silenceFrames: Self.silenceFrameCount, skippedSlots: report.skippedSlots,
            cancelled: cancelled, lateness: report.lateness)
    }
}
