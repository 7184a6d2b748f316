import Synchronization

extension FakeDiscord {
    /// Which side ended a WebSocket.
    public enum Closer: Sendable, Hashable {
        /// The client sent a close frame.
        case client
        /// The fake sent a close frame.
        case server
        /// The TCP connection ended without a close handshake.
        case transport
    }

    /// One shard of a sharded session: `id` of `count`, as IDENTIFY's `shard` array names it.
    public struct Shard: Sendable, Hashable {
        /// The shard id.
        public var id: Int
        /// The shard count.
        public var count: Int

        /// Creates a shard.
        public init(id: Int, count: Int) {
            self.id = id
            self.count = count
        }

        /// The shard that owns `guildID` among `count` shards: `(guild_id >> 22) % count`.
        public static func owner(of guildID: String, count: Int) -> Int {
            Int(((UInt64(guildID) ?? 0) >> 22) % UInt64(max(1, count)))
        }

        /// Whether this shard receives `guildID`'s events.
        public func owns(_ guildID: String) -> Bool {
            Self.owner(of: guildID, count: count) == id
        }
    }

    /// How the main gateway answered an IDENTIFY.
    public enum IdentifyOutcome: Sendable, Hashable {
        /// READY followed.
        case ready
        /// INVALID_SESSION: an IDENTIFY of the same `max_concurrency` bucket came less than 5 s before.
        case concurrencyExceeded
        /// The connection was closed with this code (4004, 4010, 4011, 4013, 4014).
        case closed(UInt16)
    }

    /// IDENTIFY (op 2) as the main gateway received it, recorded on arrival before the answer.
    public struct GatewayIdentify: Sendable, Hashable {
        /// The token sent (the recorder is test-only, so it keeps it for assertions).
        public var token: String
        /// Gateway intents bitfield.
        public var intents: Int
        /// The whole payload as received.
        public var raw: String
        /// The `shard` it carried; nil when it had none.
        public var shard: Shard?
        /// Arrival time on the monotonic clock.
        public var arrival: ContinuousClock.Instant
        /// How the fake answered.
        public var outcome: IdentifyOutcome
        /// The number of the gateway connection it came on (as `gatewayConnected` numbers them).
        public var connection: Int
    }

    /// RESUME (op 6) as the main gateway received it.
    public struct GatewayResume: Sendable, Hashable {
        /// Session id the client resumes.
        public var sessionID: String
        /// Last sequence number the client saw.
        public var seq: Int?
        /// Whether the fake accepted it (false: INVALID_SESSION was sent).
        public var accepted: Bool
    }

    /// Op 4 as the main gateway received it: a join, or a leave when `channelID` is nil.
    public struct VoiceStateRequest: Sendable, Hashable {
        /// Guild id.
        public var guildID: String
        /// Channel to join, nil to leave.
        public var channelID: String?
        /// self_mute flag.
        public var selfMute: Bool
        /// self_deaf flag.
        public var selfDeaf: Bool
        /// The shard id of the session it came on; nil for an unsharded session.
        public var shard: Int?
    }

    /// IDENTIFY (op 0) or RESUME (op 7) as the voice gateway received it.
    public struct VoiceHandshake: Sendable, Hashable {
        /// server_id.
        public var serverID: String
        /// user_id (nil on RESUME).
        public var userID: String?
        /// session_id.
        public var sessionID: String
        /// token.
        public var token: String
        /// max_dave_protocol_version (IDENTIFY only).
        public var maxDaveProtocolVersion: Int?
        /// seq_ack (RESUME only).
        public var seqAck: Int?
        /// Whether the fake accepted it.
        public var accepted: Bool
    }

    /// SELECT_PROTOCOL (op 1) as received.
    public struct SelectProtocol: Sendable, Hashable {
        /// protocol (always "udp" from a correct client).
        public var protocolName: String
        /// data.address: the address IP discovery told the client.
        public var address: String
        /// data.port.
        public var port: Int
        /// data.mode.
        public var mode: String
    }

    /// SPEAKING (op 5) as received.
    public struct Speaking: Sendable, Hashable {
        /// Speaking flags bitmask (0 = stopped).
        public var speaking: Int
        /// delay.
        public var delay: Int
        /// ssrc.
        public var ssrc: UInt32
    }

    /// One RTP packet that arrived on the UDP server and decrypted with the session key.
    public struct RTPPacket: Sendable, Hashable {
        /// Arrival time on the monotonic clock.
        public var arrival: ContinuousClock.Instant
        /// First header byte (version, padding, extension, CSRC count): 0x80 from a correct client.
        public var firstByte: UInt8
        /// Second header byte (marker and payload type): 0x78 from a correct client.
        public var payloadType: UInt8
        /// Sequence number.
        public var sequence: UInt16
        /// Timestamp.
        public var timestamp: UInt32
        /// SSRC.
        public var ssrc: UInt32
        /// The 32-bit nonce counter appended after the ciphertext.
        public var nonce: UInt32
        /// Mode used to decrypt.
        public var mode: String
        /// Decrypted payload: the Opus packet (RTP header extension body stripped).
        public var payload: [UInt8]
    }

    /// A UDP datagram that could not be taken as an RTP packet of the session.
    public struct DecryptFailure: Sendable, Hashable {
        /// Arrival time on the monotonic clock.
        public var arrival: ContinuousClock.Instant
        /// Datagram length.
        public var length: Int
        /// Why it was rejected.
        public var reason: String
    }

    /// Everything the fake saw or did, in order.
    public enum Event: Sendable, Hashable {
        /// A main gateway WebSocket opened (numbered from 1); `viaResumeURL` when it came in
        /// through the resume_gateway_url listener rather than the gateway URL.
        case gatewayConnected(connection: Int, viaResumeURL: Bool)
        /// IDENTIFY arrived.
        case gatewayIdentify(GatewayIdentify)
        /// RESUME arrived.
        case gatewayResume(GatewayResume)
        /// Heartbeat (op 1) arrived with this sequence; `acked` is false while zombie.
        case gatewayHeartbeat(sequence: Int?, acked: Bool)
        /// The fake sent a dispatch event (op 0) with this name and sequence.
        case gatewayDispatch(name: String, sequence: Int)
        /// Op 4 arrived.
        case voiceStateUpdate(VoiceStateRequest)
        /// Op 4 arrived on a shard that does not own its guild, and was ignored as Discord does.
        case voiceStateUpdateOnWrongShard(VoiceStateRequest)
        /// A main gateway WebSocket ended.
        case gatewayClosed(connection: Int, by: Closer, code: UInt16?, reason: String)
        /// A fault was injected.
        case faultInjected(Fault)
        /// A voice gateway WebSocket opened (numbered from 1).
        case voiceConnected(connection: Int)
        /// Voice IDENTIFY arrived.
        case voiceIdentify(VoiceHandshake)
        /// SELECT_PROTOCOL arrived.
        case voiceSelectProtocol(SelectProtocol)
        /// SESSION_DESCRIPTION was sent with this mode and key.
        case voiceSessionDescription(mode: String, secretKey: [UInt8])
        /// Voice heartbeat (op 3) arrived; `acked` is false while zombie.
        case voiceHeartbeat(nonce: Int64?, seqAck: Int?, acked: Bool)
        /// SPEAKING arrived.
        case speaking(Speaking)
        /// Voice RESUME arrived.
        case voiceResume(VoiceHandshake)
        /// A client JSON message with an opcode the fake does not act on (DAVE ops 23, 31).
        case voiceJSON(op: Int, raw: String)
        /// A client binary message [opcode][payload] (DAVE ops 26, 28).
        case voiceBinary(op: UInt8, payload: [UInt8])
        /// A voice gateway WebSocket ended.
        case voiceClosed(connection: Int, by: Closer, code: UInt16?, reason: String)
        /// An IP discovery request arrived; `answered` is false when it was dropped.
        case ipDiscovery(ssrc: UInt32, answered: Bool)
        /// An RTP packet decrypted.
        case rtp(RTPPacket)
        /// A datagram failed to decrypt or parse.
        case decryptFailure(DecryptFailure)
        /// An HTTP API request arrived (recorded with the status it got, before the answer).
        case restRequest(RESTRequest)
    }

    /// A thread-safe log of every event, with async waits.
    public final class Recorder: Sendable {
        private let log = Mutex<[Event]>([])
        private let arrivalLog = Mutex<[UInt32: [ContinuousClock.Instant]]>([:])

        /// Creates an empty recorder.
        public init() {}

        /// Appends an event.
        func record(_ event: Event) {
            log.withLock { $0.append(event) }
        }

        /// Notes a datagram of stream `ssrc` arriving at `arrival` and returns how many that stream sent so far.
        func recordArrival(ssrc: UInt32, at arrival: ContinuousClock.Instant) -> Int {
            arrivalLog.withLock { log in
                log[ssrc, default: []].append(arrival)
                return log[ssrc]!.count
            }
        }

        /// With ``PacketCheck/spotCheck(every:)``: when each datagram of each SSRC arrived, in order.
        public var arrivals: [UInt32: [ContinuousClock.Instant]] { arrivalLog.withLock { $0 } }

        /// Every event so far, in order.
        public var events: [Event] { log.withLock { $0 } }

        /// Waits until `condition` holds for the events so far, checking every 5 ms.
        ///
        /// - Returns: the events at the moment the condition held.
        /// - Throws: `FakeDiscordError.timedOut` naming `what` when `timeout` passes first.
        @discardableResult
        public func waitFor(
            _ what: String, timeout: Duration, _ condition: @Sendable ([Event]) -> Bool
        ) async throws -> [Event] {
            try await poll(what, timeout: timeout) {
                let snapshot = events
                return condition(snapshot) ? snapshot : nil
            }
        }

        /// Waits until `count` RTP packets have decrypted; returns them.
        @discardableResult
        public func waitForPackets(_ count: Int, timeout: Duration) async throws -> [RTPPacket] {
            try await waitFor("\(count) RTP packets", timeout: timeout) { events in
                events.lazy.filter { if case .rtp = $0 { true } else { false } }.count >= count
            }
            return rtpPackets
        }

        /// Waits until the RTP packets end with the five silence frames that close a playback.
        ///
        /// The leave and SPEAKING 0 come over the WebSocket and the datagrams over UDP, which
        /// the fake reads on different event loops, so the last datagrams may be recorded
        /// after the leave, or after the client process has exited.
        public func waitForClosingSilence(timeout: Duration) async throws {
            let silence: [UInt8] = [0xF8, 0xFF, 0xFE]
            try await waitFor("the five closing silence frames", timeout: timeout) { events in
                let tail = events.lazy.compactMap { if case .rtp(let packet) = $0 { packet.payload } else { nil } }.suffix(5)
                return tail.count == 5 && tail.allSatisfy { $0 == silence }
            }
        }

        /// Waits until an op 4 leave (channel_id null) has arrived.
        public func waitForLeave(timeout: Duration) async throws {
            try await waitFor("the op 4 leave", timeout: timeout) { events in
                events.contains { if case .voiceStateUpdate(let request) = $0 { request.channelID == nil } else { false } }
            }
        }

        /// Identify payloads received by the main gateway.
        public var identifies: [GatewayIdentify] { events.compactMap { if case .gatewayIdentify(let v) = $0 { v } else { nil } } }
        /// Gateway RESUMEs received.
        public var resumes: [GatewayResume] { events.compactMap { if case .gatewayResume(let v) = $0 { v } else { nil } } }
        /// Op 4 requests ignored for coming on a shard that does not own the guild.
        public var misroutedVoiceStateUpdates: [VoiceStateRequest] {
            events.compactMap { if case .voiceStateUpdateOnWrongShard(let v) = $0 { v } else { nil } }
        }
        /// Op 4 requests received (joins and leaves) on the shard owning their guild.
        public var voiceStateUpdates: [VoiceStateRequest] { events.compactMap { if case .voiceStateUpdate(let v) = $0 { v } else { nil } } }
        /// Voice IDENTIFYs received.
        public var voiceIdentifies: [VoiceHandshake] { events.compactMap { if case .voiceIdentify(let v) = $0 { v } else { nil } } }
        /// Voice RESUMEs received.
        public var voiceResumes: [VoiceHandshake] { events.compactMap { if case .voiceResume(let v) = $0 { v } else { nil } } }
        /// SELECT_PROTOCOLs received.
        public var selectProtocols: [SelectProtocol] { events.compactMap { if case .voiceSelectProtocol(let v) = $0 { v } else { nil } } }
        /// SPEAKING messages received.
        public var speakingStates: [Speaking] { events.compactMap { if case .speaking(let v) = $0 { v } else { nil } } }
        /// RTP packets that decrypted, in arrival order.
        public var rtpPackets: [RTPPacket] { events.compactMap { if case .rtp(let v) = $0 { v } else { nil } } }
        /// Datagrams that failed.
        public var decryptFailures: [DecryptFailure] { events.compactMap { if case .decryptFailure(let v) = $0 { v } else { nil } } }
    }
}
