import DAVE
import Testing

@testable import DiscordVoice

/// The voice gateway messages the connection hands to its DAVE session, parsed from the wire.
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
}
