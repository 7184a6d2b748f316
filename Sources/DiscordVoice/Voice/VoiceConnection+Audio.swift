/// What a playback did.
public struct PlaybackReport: Sendable, Hashable {
    /// Opus frames sent (not counting the closing silence).
    public var framesSent: Int
    /// Silence frames sent after the audio.
    public var silenceFrames: Int
    /// Schedule slots skipped after stalls (frames were late by more than 20 ms).
    public var skippedSlots: Int64
    /// Whether the task was cancelled before the packets ran out.
    public var cancelled: Bool
}

/// Streaming Opus packets as RTP on absolute 20 ms deadlines.
extension VoiceConnection {
    /// The Opus silence frame sent five times after the audio.
    public static let silenceFrame: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// Plays `packets` (one 20 ms Opus packet each), then silence, SPEAKING 0, and leaves the channel.
    ///
    /// Cancelling the calling task stops the audio within one frame and still sends the silence,
    /// turns speaking off and leaves; the report then says `cancelled`.
    public func play<Packets: AsyncSequence>(_ packets: Packets) async throws -> PlaybackReport
    where Packets.Element == [UInt8] {
        try await play(packets, transform: PassthroughFrameTransform())
    }

    /// Plays `packets` through `transform` (the DAVE seam) before packetizing.
    public func play<Packets: AsyncSequence, Transform: OpusFrameTransform>(
        _ packets: Packets, transform: Transform
    ) async throws -> PlaybackReport where Packets.Element == [UInt8] {
        if let failure { throw failure }
        guard state == .ready || state == .recovering else { throw DiscordVoiceError.notConnected }
        var transform = transform
        await sendSpeaking(true)
        var schedule = FrameSchedule(origin: .now + .milliseconds(20))
        var iterator = packets.makeAsyncIterator()
        var frame: [UInt8] = []
        var sent = 0
        var cancelled = false
        logger.info("playing")
        do {
            while true {
                guard !Task.isCancelled, let packet = try await iterator.next(isolation: self) else {
                    cancelled = Task.isCancelled
                    break
                }
                try transform.transform(packet, into: &frame)
                do {
                    try await Task.sleep(until: schedule.deadline, tolerance: .zero, clock: .continuous)
                } catch {
                    cancelled = true
                    break
                }
                if let failure { throw failure }
                sendAudio(frame)
                sent += 1
                schedule.advance(now: .now)
            }
        } catch {
            if Task.isCancelled {
                cancelled = true
            } else {
                await leave()
                throw error
            }
        }
        let finalSchedule = schedule
        await Task { await self.finishPlayback(schedule: finalSchedule) }.value
        if let failure { throw failure }
        logger.info("played \(sent) frames\(cancelled ? " (cancelled)" : "")")
        return PlaybackReport(
            framesSent: sent, silenceFrames: 5, skippedSlots: schedule.skippedSlots, cancelled: cancelled)
    }

    private func finishPlayback(schedule: FrameSchedule) async {
        var schedule = schedule
        let now = ContinuousClock.now
        if schedule.deadline < now { schedule = FrameSchedule(origin: now) }
        for _ in 0..<5 {
            try? await Task.sleep(until: schedule.deadline, tolerance: .zero, clock: .continuous)
            sendAudio(Self.silenceFrame)
            schedule.advance(now: .now)
        }
        await sendSpeaking(false)
        await leave()
    }

    /// Packetizes, encrypts and sends one frame; dropped while no transport is up.
    private func sendAudio(_ frame: [UInt8]) {
        guard let udp, packetizer != nil else { return }
        do {
            try packetizer?.packetize(frame, into: &packet)
        } catch {
            logger.debug("voice dropped a frame: \(error)")
            return
        }
        udp.send(packet)
    }
}
