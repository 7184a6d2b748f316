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

/// libdave members (Tests/Interop/libdave_committer.py) welcome the Session and then commit another Add it must process.
@Suite struct LibdaveCommitterInteropTests {
    struct Offer: Decodable {
        let external_sender: String
    }

    struct Epochs: Decodable {
        let welcome: String
        let proposals: String
        let commit: String
        let plaintexts: [String]
        let frames: [String]
    }

    struct Verdict: Decodable {
        let decrypted_by_2002: [String?]
        let decrypted_by_3003: [String?]
        let epoch_authenticator: String
        let failures: [String]
    }

    @Test(.enabled(if: LibdaveInteropTests.venvReady, "needs the interop venv at .venv with dave.py (make test creates it)"))
    func sessionJoinsFromLibdavesWelcomeAndFollowsItsNextCommit() throws {
        let script = try InteropScript("libdave_committer.py")
        let offer = try JSONDecoder().decode(Offer.self, from: try script.readLine())
        var session = DAVE.Session(selfUserID: 1001, channelID: 1_234_567_890_123_456_789)
        _ = try session.handle(.clientsConnect(userIDs: [2002, 3003]))
        let described = try session.handle(.sessionDescription(protocolVersion: 1))
        guard case .send(.keyPackage(let keyPackage)) = described.first else { Issue.record("no key package: \(described)"); return }
        _ = try session.handle(.externalSender([UInt8](hex: offer.external_sender)))
        try script.write(try JSONSerialization.data(withJSONObject: ["key_package": keyPackage.hex]) + [0x0A])

        let epochs = try JSONDecoder().decode(Epochs.self, from: try script.readLine())
        let welcomed = try session.handle(.welcome([0, 1] + [UInt8](hex: epochs.welcome)))
        guard case .send(.readyForTransition(1)) = welcomed.first else { Issue.record("Welcome refused: \(welcomed)"); return }
        _ = try session.handle(.executeTransition(transitionID: 1))
        #expect(Set(session.members) == [1001, 2002])
        _ = try session.handle(.proposals([UInt8](hex: epochs.proposals)))
        let processed = try session.handle(.announceCommit([0, 2] + [UInt8](hex: epochs.commit)))
        guard case .send(.readyForTransition(2)) = processed.first else { Issue.record("commit refused: \(processed)"); return }
        _ = try session.handle(.executeTransition(transitionID: 2))
        #expect(Set(session.members) == [1001, 2002, 3003])

        var decryptor = try #require(session.frameDecryptor(for: 2002))
        var plain: [UInt8] = []
        for (frame, expected) in zip(epochs.frames, epochs.plaintexts) {
            try decryptor.decrypt([UInt8](hex: frame), into: &plain)
            #expect(plain.hex == expected)
        }
        guard case .encrypt(var encryptor) = session.media else { Issue.record("the bot may not send audio"); return }
        var frames: [String] = []
        var frame: [UInt8] = []
        for packet in epochs.plaintexts {
            try encryptor.encrypt([UInt8](hex: packet), into: &frame)
            frames.append(frame.hex)
        }
        try script.write(try JSONSerialization.data(withJSONObject: ["frames": frames]) + [0x0A])
        let verdict = try JSONDecoder().decode(Verdict.self, from: try script.readLine())
        #expect(verdict.failures.isEmpty)
        #expect(verdict.decrypted_by_2002 == epochs.plaintexts)
        #expect(verdict.decrypted_by_3003 == epochs.plaintexts)
        #expect(try DAVE.displayableCode(for: [UInt8](hex: verdict.epoch_authenticator)) == session.privacyCode)
    }
}
