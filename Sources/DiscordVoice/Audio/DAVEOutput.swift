import DAVE

/// How outgoing Opus frames are treated, as the DAVE session last decided.
enum DAVEFrameMode: Sendable, Equatable {
    /// Send nothing audible: no executed group has a listener in it yet.
    case hold
    /// Send frames unchanged (protocol version 0, or DAVE not negotiated).
    case passthrough
    /// Encrypt frames with the current frame encryptor.
    case encrypt
}

/// The DAVE step between the Opus packets and RTP: the media mode, the executed epoch's
/// encryptor, and the last few frames handed to the sender so a media change can re-seal
/// the ones not yet sent.
struct DAVEOutput: Sendable {
    /// What the DAVE session allows for outgoing audio.
    private(set) var mode = DAVEFrameMode.passthrough
    /// Whether a playback is streaming frames through this output to the sender.
    var streaming = false
    private var encryptor: DAVE.FrameEncryptor?
    private var recent = [[UInt8]](repeating: [], count: RealtimeSender.lookahead + 1)
    private var nextSlot = 0

    /// Switches to `media` for every frame sealed from now on.
    mutating func apply(_ media: DAVE.Session.Media) {
        switch media {
        case .hold:
            mode = .hold
            encryptor = nil
        case .passthrough:
            mode = .passthrough
            encryptor = nil
        case .encrypt(let fresh):
            mode = .encrypt
            encryptor = fresh
        }
    }

    /// Remembers `opus` as the newest frame handed to the sender and seals it into `output`.
    mutating func frame(_ opus: [UInt8], into output: inout [UInt8]) throws(DAVEError) {
        recent[nextSlot].removeAll(keepingCapacity: true)
        recent[nextSlot].append(contentsOf: opus)
        nextSlot = (nextSlot + 1) % recent.count
        try seal(opus, into: &output)
    }

    /// Writes the frame to send for `opus` into `output` under the current mode; while holding a
    /// silence frame keeps the schedule without audible audio.
    mutating func seal(_ opus: [UInt8], into output: inout [UInt8]) throws(DAVEError) {
        switch mode {
        case .passthrough:
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: opus)
        case .hold:
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: VoiceConnection.silenceFrame)
        case .encrypt:
            try encryptor?.encrypt(opus, into: &output)
        }
    }

    /// The newest `count` remembered frames (at most the lookahead plus one), oldest first.
    func recentFrames(_ count: Int) -> [[UInt8]] {
        let count = min(count, recent.count)
        return (0..<count).map { recent[(nextSlot - count + $0 + recent.count) % recent.count] }
    }
}
