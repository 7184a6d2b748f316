import Crypto
import DAVE
import Testing

@testable import DiscordVoice

/// The voice gateway messages the connection hands to its DAVE session, and the DAVE output
/// step that seals frames under the session's media state.
@Suite struct DAVEWiringTests {
    @Test func prepareTransitionJSONBecomesItsEvent() throws {
        let message = try VoiceMessage(text: #"{"op":21,"seq":4,"d":{"transition_id":7,"protocol_version":1}}"#)
        #expect(try VoiceConnection.daveEvent(message) == .prepareTransition(transitionID: 7, protocolVersion: 1))
    }

    @Test func executeTransitionJSONBecomesItsEvent() throws {
        let message = try VoiceMessage(text: #"{"op":22,"d":{"transition_id":7}}"#)
        #expect(try VoiceConnection.daveEvent(message) == .executeTransition(transitionID: 7))
    }

    @Test func prepareEpochJSONBecomesItsEvent() throws {
        let message = try VoiceMessage(text: #"{"op":24,"d":{"epoch":1,"protocol_version":1}}"#)
        #expect(try VoiceConnection.daveEvent(message) == .prepareEpoch(epoch: 1, protocolVersion: 1))
    }

    @Test func clientsConnectAndDisconnectCarryTheirUsers() throws {
        let connect = try VoiceMessage(text: #"{"op":11,"d":{"user_ids":["5","6"]}}"#)
        #expect(try VoiceConnection.daveEvent(connect) == .clientsConnect(userIDs: [5, 6]))
        let disconnect = try VoiceMessage(text: #"{"op":13,"d":{"user_id":"6"}}"#)
        #expect(try VoiceConnection.daveEvent(disconnect) == .clientDisconnect(userID: 6))
    }

    @Test func binaryDAVEMessagesKeepThePayloadAfterSequenceAndOpcode() throws {
        let message = try VoiceMessage(serverBinary: [0x00, 0x09, 30, 0x00, 0x02, 0xAB])
        #expect(try VoiceConnection.daveEvent(message) == .welcome([0x00, 0x02, 0xAB]))
    }

    @Test func aTransitionWithoutItsIDIsNotADAVEEvent() throws {
        let message = try VoiceMessage(text: #"{"op":22,"d":{}}"#)
        #expect(try VoiceConnection.daveEvent(message) == nil)
    }

    @Test func aClientOnlyBinaryOpcodeFromTheServerIsRefused() throws {
        let message = try VoiceMessage(serverBinary: [0x00, 0x01, 26, 0x01])
        #expect(throws: DAVEError.self) { try VoiceConnection.daveEvent(message) }
    }

    @Test func theNoListenerErrorSaysNothingWasPlayed() {
        #expect(DiscordVoiceError.noListener(seconds: 20).description
            == "Nobody joined the voice channel within 20 s to hear the scream, so nothing was played.")
    }

    @Test func holdSendsSilenceAndPassthroughCopiesTheFrame() throws {
        var output = DAVEOutput()
        var frame: [UInt8] = []
        output.apply(.hold)
        try output.frame([1, 2, 3, 4], into: &frame)
        #expect(frame == VoiceConnection.silenceFrame)
        output.apply(.passthrough)
        try output.frame([1, 2, 3, 4], into: &frame)
        #expect(frame == [1, 2, 3, 4])
    }

    @Test func encryptedFramesDecryptWithTheSameSendersKey() throws {
        let key = SymmetricKey(data: [UInt8](repeating: 7, count: 16))
        var output = DAVEOutput()
        output.apply(.encrypt(DAVE.FrameEncryptor(baseSecret: key)))
        var decryptor = DAVE.FrameDecryptor(baseSecret: key)
        var frame: [UInt8] = []
        var plain: [UInt8] = []
        for packet: [UInt8] in [[0x78, 1, 2], [0x78, 3, 4, 5]] {
            try output.frame(packet, into: &frame)
            #expect(frame != packet && frame.suffix(2) == [0xFA, 0xFA])
            try decryptor.decrypt(frame, into: &plain)
            #expect(plain == packet)
        }
    }

    @Test func recentFramesAreTheNewestOnesOldestFirst() throws {
        var output = DAVEOutput()
        var frame: [UInt8] = []
        let kept = RealtimeSender.lookahead + 1
        let last = UInt8(kept + 2)
        for value in UInt8(1)...last { try output.frame([value], into: &frame) }
        #expect(output.recentFrames(2) == [[last - 1], [last]])
        #expect(output.recentFrames(kept) == (3...last).map { [$0] })
        #expect(output.recentFrames(kept + 5).count == kept)
    }

    @Test func takeQueuedGivesBackEveryUnsentFrame() {
        let sender = RealtimeSender()
        sender.enqueue([1])
        sender.enqueue([2])
        #expect(sender.takeQueued() == 2)
        #expect(sender.queued == 0)
    }
}
