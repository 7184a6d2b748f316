import Foundation
import MLS
import Testing
@testable import DAVE

/// A libdave member (Tests/Interop/libdave_joiner.py) joins through the Session's own commit and Welcome.
@Suite struct LibdaveSessionInteropTests {
    struct Offer: Decodable {
        let external_sender: String
        let proposals: String
    }

    struct Verdict: Decodable {
        let roster: [String]
        let epoch_authenticator: String
        let decrypted: [String?]
        let failures: [String]
    }

    @Test(.enabled(if: LibdaveInteropTests.venvReady, "needs the interop venv at .venv with dave.py (make test creates it)"))
    func libdaveJoinsFromTheSessionsWelcomeAndDecryptsItsFrames() throws {
        let script = try InteropScript("libdave_joiner.py")
        let offer = try JSONDecoder().decode(Offer.self, from: try script.readLine())
        var session = DAVE.Session(selfUserID: 1001, channelID: 1_234_567_890_123_456_789)
        _ = try session.handle(.clientsConnect(userIDs: [2002]))
        _ = try session.handle(.sessionDescription(protocolVersion: 1))
        _ = try session.handle(.externalSender([UInt8](hex: offer.external_sender)))
        let actions = try session.handle(.proposals([UInt8](hex: offer.proposals)))
        guard case .send(.commitWelcome(let payload)) = actions.first else {
            Issue.record("the session did not commit the Add: \(actions)")
            return
        }
        var reader = TLSReader(payload)
        _ = try reader.read(MLSMessage.self)
        let commit = Array(payload[..<reader.position])
        let welcome = Array(payload[reader.position...])
        #expect(!welcome.isEmpty)

        let ready = try session.handle(.announceCommit([0, 1] + commit))
        guard case .send(.readyForTransition(1)) = ready.first else { Issue.record("not ready: \(ready)"); return }
        _ = try session.handle(.executeTransition(transitionID: 1))
        guard case .encrypt(var encryptor) = session.media else { Issue.record("the bot may not send audio"); return }

        let packets: [[UInt8]] = (0..<10).map { i in [0xFC] + (0..<(20 + 3 * i)).map { UInt8(truncatingIfNeeded: i * 7 + $0) } }
        var frames: [String] = []
        var frame: [UInt8] = []
        for packet in packets {
            try encryptor.encrypt(packet, into: &frame)
            frames.append(frame.hex)
        }
        let request = try JSONSerialization.data(withJSONObject: ["welcome": welcome.hex, "frames": frames])
        try script.write(request + [0x0A])
        let verdict = try JSONDecoder().decode(Verdict.self, from: try script.readLine())
        #expect(verdict.failures.isEmpty)
        #expect(verdict.roster == ["1001", "2002"])
        #expect(try DAVE.displayableCode(for: [UInt8](hex: verdict.epoch_authenticator)) == session.privacyCode)
        #expect(verdict.decrypted == packets.map(\.hex))
    }
}
