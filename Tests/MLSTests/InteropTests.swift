import Crypto
import Foundation
import Testing
@testable import MLS

/// An independent MLS implementation reachable from Python.
enum PeerKind: String, Sendable {
    /// davey, a Rust DAVE implementation on OpenMLS (`pip install davey`).
    case davey
    /// dave.py, Discord's libdave on mlspp (`pip install dave.py`).
    case libdave

    var module: String { self == .davey ? "davey" : "dave" }

    var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop/\(rawValue)_peer.py").path
    }

    /// Whether `python3` can import the peer's module.
    var isAvailable: Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import \(module)"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        let deadline = Date().addingTimeInterval(30)
        while probe.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if probe.isRunning {
            probe.terminate()
            return false
        }
        return probe.terminationStatus == 0
    }
}

/// A peer session in a Python child process, spoken to in JSON lines with a timeout on every reply.
final class PythonPeer: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var buffer = Data()

    init(_ kind: PeerKind) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", kind.script]
        process.standardInput = input
        process.standardOutput = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            guard let self else { return }
            let chunk = handle.availableData
            self.lock.lock()
            self.buffer.append(chunk)
            self.lock.unlock()
            self.ready.signal()
        }
        try process.run()
    }

    deinit {
        output.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { process.terminate() }
    }

    private func takeLine() -> Data? {
        lock.lock()
        defer { lock.unlock() }
        guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = buffer[buffer.startIndex..<newline]
        buffer.removeSubrange(buffer.startIndex...newline)
        return Data(line)
    }

    /// Sends one request and waits up to 30 seconds for its reply.
    func call(_ request: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(UInt8(ascii: "\n"))
        input.fileHandleForWriting.write(line)
        let deadline = DispatchTime.now() + 30
        while true {
            if let reply = takeLine() {
                let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
                if let error = object["error"] as? String { throw PeerError.failed(error) }
                return object
            }
            guard ready.wait(timeout: deadline) == .success else { throw PeerError.timedOut }
        }
    }

    enum PeerError: Error { case failed(String), timedOut }
}

private func bigEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

private func hex(_ reply: [String: Any], _ key: String) throws -> [UInt8] {
    guard let text = reply[key] as? String, let bytes = [UInt8](hex: text) else { throw VectorError.malformed("peer reply field \(key)") }
    return bytes
}

/// Drives Swift members and davey peers through one group, as the voice gateway would.
private struct InteropGroup {
    static let channel: UInt64 = 1_234_567_890
    let groupID = bigEndian(channel)
    let gateway = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: []))

    func proposal(_ proposal: Proposal, epoch: UInt64) throws -> MLSMessage {
        try gateway.propose(proposal, groupID: groupID, epoch: epoch)
    }

    func startPeer(_ kind: PeerKind, user: UInt64) throws -> (PythonPeer, KeyPackage) {
        let peer = try PythonPeer(kind)
        let reply = try peer.call(["command": "init", "user_id": user, "channel_id": Self.channel, "recognized": [1, 2, 3, 4],
                                   "external_sender": gateway.sender.tlsBytes.hexString])
        let keyPackage = try KeyPackage(tlsBytes: try hex(reply, "key_package"))
        try keyPackage.validate()
        return (peer, keyPackage)
    }

    /// Hands proposals to a peer as op 27 would; returns its commit and Welcome, if any, split as op 28 carries them.
    func propose(_ messages: [MLSMessage], to peer: PythonPeer) throws -> (commit: [UInt8], welcome: Welcome?) {
        var payload = TLSWriter()
        payload.vector(messages)
        var reader = TLSReader(try hex(try peer.call(["command": "proposals", "proposals": payload.bytes.hexString]), "commit_welcome"))
        let start = reader.position
        _ = try reader.read(MLSMessage.self)
        let commit = reader.bytesSince(start)
        return (commit, reader.isAtEnd ? nil : try reader.read(Welcome.self))
    }

    func commit(_ bytes: [UInt8], to peer: PythonPeer) throws -> [UInt8] {
        try hex(try peer.call(["command": "commit", "commit": bytes.hexString]), "epoch_authenticator")
    }
}

private func leaf(of user: UInt64, in group: Group) -> UInt32? {
    group.members.first { $0.leaf.credential == .basic(identity: bigEndian(user)) }?.index
}

/// Runs one group of Swift members and two peers of `kind` through every kind of commit and Welcome.
///
/// davey's own commits cannot be merged through its Python API (its `process_commit` reports a missing
/// proposal for the committer's own commit), so a peer that commits is not used afterwards.
private func runMixedGroup(_ kind: PeerKind) throws {
    let interop = InteropGroup()
    var alice = try Group(groupID: interop.groupID, credential: .basic(identity: bigEndian(1)), signatureKey: P256.Signing.PrivateKey(),
                          extensions: [ExternalSender.extensionFor([interop.gateway.sender])])
    let (bob, bobPackage) = try interop.startPeer(kind, user: 2)
    let (charlie, charliePackage) = try interop.startPeer(kind, user: 3)

    // A Swift commit and Welcome add davey peer Bob.
    try alice.cacheProposal(try interop.proposal(.add(bobPackage), epoch: alice.epoch))
    let addBob = try alice.createCommit()
    alice = addBob.group
    let bobJoined = try bob.call(["command": "welcome", "welcome": try #require(addBob.welcome).tlsBytes.hexString])
    #expect(try hex(bobJoined, "epoch_authenticator") == alice.epochAuthenticator)

    // A Swift commit with an UpdatePath reaches Bob; its Welcome adds davey peer Charlie.
    let addCharlie = try interop.proposal(.add(charliePackage), epoch: alice.epoch)
    try alice.cacheProposal(addCharlie)
    _ = try interop.propose([addCharlie], to: bob)
    let charlieCommit = try alice.createCommit()
    alice = charlieCommit.group
    #expect(try interop.commit(charlieCommit.message.tlsBytes, to: bob) == alice.epochAuthenticator)
    let charlieJoined = try charlie.call(["command": "welcome", "welcome": try #require(charlieCommit.welcome).tlsBytes.hexString])
    #expect(try hex(charlieJoined, "epoch_authenticator") == alice.epochAuthenticator)

    // Charlie (davey) commits the addition of Swift member Carol; Swift and Bob process it, Carol joins.
    let carolBundle = try KeyPackageBundle(credential: .basic(identity: bigEndian(4)), signatureKey: P256.Signing.PrivateKey())
    let addCarol = try interop.proposal(.add(carolBundle.keyPackage), epoch: alice.epoch)
    try alice.cacheProposal(addCarol)
    _ = try interop.propose([addCarol], to: bob)
    let fromCharlie = try interop.propose([addCarol], to: charlie)
    let charlieLeaf = try #require(leaf(of: 3, in: alice))
    #expect(try alice.processCommit(try MLSMessage(tlsBytes: fromCharlie.commit)) == .applied(added: [3], removed: []))
    #expect(try interop.commit(fromCharlie.commit, to: bob) == alice.epochAuthenticator)
    var carol = try Group(welcome: try #require(fromCharlie.welcome), keyPackage: carolBundle)
    #expect(carol.epochAuthenticator == alice.epochAuthenticator)

    // Bob (davey) commits Charlie's removal; both Swift members process it.
    let removeCharlie = try interop.proposal(.remove(leaf: charlieLeaf), epoch: alice.epoch)
    try alice.cacheProposal(removeCharlie)
    try carol.cacheProposal(removeCharlie)
    let fromBob = try interop.propose([removeCharlie], to: bob)
    #expect(fromBob.welcome == nil)
    #expect(try alice.processCommit(try MLSMessage(tlsBytes: fromBob.commit)) == .applied(added: [], removed: [charlieLeaf]))
    #expect(try carol.processCommit(try MLSMessage(tlsBytes: fromBob.commit)) == .applied(added: [], removed: [charlieLeaf]))
    #expect(alice.epochAuthenticator == carol.epochAuthenticator)
    #expect(alice.exportSecret(label: "Discord Secure Frames v0", context: [2, 0, 0, 0, 0, 0, 0, 0], length: 16)
            == carol.exportSecret(label: "Discord Secure Frames v0", context: [2, 0, 0, 0, 0, 0, 0, 0], length: 16))
    #expect(alice.epoch == 4)
}

@Suite struct MLSInteropTests {
    @Test(.enabled(if: PeerKind.davey.isAvailable, "needs python3 with davey (pip install davey), an independent MLS implementation"))
    func swiftAndDaveyMembersAgreeOnEveryEpochWhicheverSideCommits() throws {
        try runMixedGroup(.davey)
    }

    @Test(.enabled(if: PeerKind.libdave.isAvailable, "needs python3 with dave.py (pip install dave.py), Discord's libdave"))
    func swiftAndLibdaveMembersAgreeOnEveryEpochWhicheverSideCommits() throws {
        try runMixedGroup(.libdave)
    }
}
