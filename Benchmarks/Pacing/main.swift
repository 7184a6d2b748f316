// Sends a 60 s scream to the local fake Discord over real sockets and reports how closely the
// sender kept its absolute 20 ms schedule: send lateness (p50, p99, max) and total drift of the
// arrivals at the fake's UDP server.
import DiscordVoice
import FakeDiscord
import Foundation
import Logging
import ScreamCore

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 60
let params = Preset.classic.params.applyingDuration(seconds)
let packets = try OpusPacketSequence(source: ScreamGenerator(params: params), frames: params.sampleCount, bitrate: 64_000)

func milliseconds(_ duration: Duration) -> Double { duration / .microseconds(1) / 1000 }

let fake = try await FakeDiscord.start()
var logger = Logger(label: "pacing")
logger.logLevel = .warning
let gateway = try GatewayClient(configuration: DiscordVoice.Configuration(
    token: FakeDiscord.Sample.token, gatewayURL: fake.gatewayURL, caFile: fake.caFilePath, timeout: .seconds(10),
    logger: logger))
try await gateway.connect()
let voice = try await gateway.joinVoice(
    guild: Snowflake(FakeDiscord.Sample.guildID)!, channel: Snowflake(FakeDiscord.Sample.partyChannelID)!)
print("pacing: sending \(packets.frameCount) frames (\(seconds) s of classic) to the local fake Discord…")
let report = try await voice.play(packets)
try await fake.recorder.waitForLeave(timeout: .seconds(5))
let arrivals = fake.recorder.rtpPackets.prefix(report.framesSent).map(\.arrival)
await gateway.disconnect()
await fake.stop()

let offsets = arrivals.enumerated().map { index, arrival in
    milliseconds(arrival - arrivals[0] - .milliseconds(20) * index)
}
let jitter = offsets.map(abs).sorted()
let line = { (name: String, value: Double) in print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%8.3f ms", value)) }
print("frames sent \(report.framesSent), skipped slots \(report.skippedSlots)")
line("send lateness p50", milliseconds(report.lateness.percentile(0.5)))
line("send lateness p99", milliseconds(report.lateness.percentile(0.99)))
line("send lateness max", milliseconds(report.lateness.maximum))
line("arrival offset p99 (vs schedule)", jitter[Int(Double(jitter.count - 1) * 0.99)])
line("total drift (last arrival)", offsets.last ?? 0)
