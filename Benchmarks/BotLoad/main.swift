// Runs the real `scream bot` against the local fake Discord and reports what a user of a
// busy bot would feel: interaction to acknowledgement, interaction to first audio packet,
// and, with N guilds screaming at once, how evenly each stream's packets arrive, plus the
// bot's CPU and memory. With a packet cache (the default) one scream of the load's length plays
// first, so every scream of the load replays it from the cache; PACKET_CACHE_MB 0 encodes each.
//
// The fake counts every datagram but decrypts only one in 50 of each stream, so that it keeps up
// with hundreds of streams. The bot joins at most about 110 voice channels a minute on one gateway
// session (Discord's send limit), so with more guilds than that the streams start over a few
// minutes: the figures at N streams come from the window in which all of them played at once.
// SHARDS above 1 runs the bot with `--shard-count SHARDS`, so that the joins spread over that many
// sessions; the guild ids spread evenly over the shards. BOTLOAD_BOT_ARGS adds arguments to
// `scream bot`.
//
// usage: BotLoad SCREAM_BINARY [GUILDS] [SECONDS] [PROBES] [PACKET_CACHE_MB|none] [SHARDS]
import FakeDiscord
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let binary = arguments.first else {
    FileHandle.standardError.write(Data("usage: BotLoad SCREAM_BINARY [GUILDS] [SECONDS] [PROBES] [PACKET_CACHE_MB|none] [SHARDS]\n".utf8))
    exit(2)
}
let guildCount = arguments.dropFirst().first.flatMap(Int.init) ?? 20
let seconds = arguments.dropFirst(2).first.flatMap(Double.init) ?? 60
let probes = arguments.dropFirst(3).first.flatMap(Int.init) ?? 50
// The packet cache to run the bot with; `none` passes no flag and plays no warm-up scream, for a
// bot that has no cache.
let cacheArgument = arguments.dropFirst(4).first ?? "64"
let packetCache = Int(cacheArgument) ?? 0
let shardCount = max(1, arguments.dropFirst(5).first.flatMap(Int.init) ?? 1)
let extraArguments = ProcessInfo.processInfo.environment["BOTLOAD_BOT_ARGS"]?.split(separator: " ").map(String.init) ?? []

func milliseconds(_ duration: Duration) -> Double { duration / .microseconds(1) / 1000 }
func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[Int((Double(sorted.count - 1) * p).rounded())]
}
func row(_ name: String, _ value: String) { print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + value) }
func ms(_ value: Double) -> String { String(format: "%8.2f ms", value) }

/// Guild `index`: a text channel and a voice channel with one human in it. Consecutive guilds
/// belong to consecutive shards, since a guild's shard is `(id >> 22) % shard_count`.
func guild(_ index: Int) -> FakeDiscord.Guild {
    let id = 200_000_000_000_100_000 + index << 22
    let human = FakeDiscord.User(id: "\(400_000_000_000_100_000 + index)", username: "human\(index)")
    return FakeDiscord.Guild(
        id: "\(id)", name: "Guild \(index)",
        channels: [
            FakeDiscord.Channel(id: "\(300_000_000_000_100_000 + 2 * index)", name: "chat", kind: .text),
            FakeDiscord.Channel(id: "\(300_000_000_000_100_001 + 2 * index)", name: "voice", kind: .voice),
        ],
        members: [human],
        voiceStates: [FakeDiscord.VoiceState(userID: human.id, channelID: "\(300_000_000_000_100_001 + 2 * index)", sessionID: "vs-\(index)")])
}

/// CPU seconds (user + system) and resident memory of process `pid`, from /proc.
func usage(of pid: Int32) -> (cpu: Double, rssMB: Double) {
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    let fields = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    let cpu = fields.count > 12 ? ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks : 0
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    return (cpu, rss / 1024)
}

/// Datagrams the kernel dropped because a UDP socket's receive buffer was full, machine-wide
/// (`RcvbufErrors` of /proc/net/snmp): the fake's socket, if it fell behind.
func udpReceiveBufferErrors() -> Int {
    let lines = ((try? String(contentsOfFile: "/proc/net/snmp", encoding: .utf8)) ?? "").split(separator: "\n")
        .filter { $0.hasPrefix("Udp: ") }.map { $0.split(separator: " ") }
    guard lines.count == 2, let column = lines[0].firstIndex(of: "RcvbufErrors"), column < lines[1].count else { return 0 }
    return Int(lines[1][column]) ?? 0
}

/// The machine's CPU time so far, in clock ticks: all of it, and what the hypervisor stole
/// (the first line of /proc/stat).
func machineTicks() -> (total: Double, stolen: Double) {
    let fields = ((try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? "").split(separator: "\n").first?
        .split(separator: " ").dropFirst().compactMap { Double($0) } ?? []
    return (fields.prefix(8).reduce(0, +), fields.count > 7 ? fields[7] : 0)
}

let guilds = (0..<guildCount).map(guild)
let fake = try await FakeDiscord.start(
    FakeDiscord.Options(guilds: guilds, heartbeatInterval: .seconds(41), packetCheck: .spotCheck(every: 50)))
let bot = Process()
bot.executableURL = URL(fileURLWithPath: binary)
bot.arguments = [
    "bot", "--cooldown", "0s", "--max-duration", "\(Int(seconds.rounded(.up)))s", "--preset", "classic", "--log-level", "info",
] + (cacheArgument == "none" ? [] : ["--packet-cache", "\(packetCache)"])
    + (shardCount > 1 ? ["--shard-count", "\(shardCount)"] : []) + extraArguments
let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("botload-\(getpid()).log")
FileManager.default.createFile(atPath: logURL.path, contents: nil)
defer { try? FileManager.default.removeItem(at: logURL) }
bot.environment = fake.environment.merging(["DISCORD_TOKEN": FakeDiscord.Sample.token, "PATH": "/usr/bin:/bin"]) { _, new in new }
bot.standardOutput = FileHandle.nullDevice
bot.standardError = try FileHandle(forWritingTo: logURL)
try bot.run()
// Each shard identifies 5 s after the one before it.
let identifyPatience = Duration.seconds(30 + 6 * shardCount)
try await fake.rest.waitForRequests(1, to: "GET " + FakeDiscord.RESTRoute.globalCommands, timeout: identifyPatience)
try await fake.recorder.waitFor("every shard's READY", timeout: identifyPatience) { [shardCount] _ in
    fake.recorder.identifies.filter { $0.outcome == .ready }.count >= shardCount
}
try await Task.sleep(for: .milliseconds(500))

/// Sends `/scream` in guild `index` and returns the interaction.
func scream(in index: Int, duration: Double) async throws -> FakeDiscord.SentInteraction {
    let g = guilds[index]
    guard let sent = await fake.sendInteraction(
        guildID: g.id, channelID: g.channels[0].id, userID: g.members[0].id,
        options: [.init(name: "duration", value: .number(duration))])
    else { throw FakeDiscordError.timedOut("the bot's gateway session", .seconds(0)) }
    return sent
}

// Latency: one scream at a time in the first guild.
var acks: [Double] = []
var firstAudio: [Double] = []
/// Every datagram's arrival, all streams together, in order.
func allArrivals() -> [ContinuousClock.Instant] { fake.recorder.arrivals.values.flatMap { $0 }.sorted() }
/// Waits until a datagram arrived after `start`; returns when the first did.
func firstArrival(after start: ContinuousClock.Instant) async throws -> ContinuousClock.Instant {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if let first = allArrivals().first(where: { $0 > start }) { return first }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw FakeDiscordError.timedOut("the first audio packet", .seconds(10))
}

for _ in 0..<probes {
    let start = ContinuousClock.now
    let sent = try await scream(in: 0, duration: 0.5)
    let callback = try await fake.rest.waitFor("the acknowledgement", timeout: .seconds(10)) { requests in
        requests.contains { $0.route == FakeDiscord.RESTRoute.interactionCallback && $0.path.contains(sent.token) }
    }.first { $0.route == FakeDiscord.RESTRoute.interactionCallback && $0.path.contains(sent.token) }
    acks.append(milliseconds(callback!.arrival - start))
    firstAudio.append(milliseconds(try await firstArrival(after: start) - start))
    try await fake.rest.waitForInteraction(token: sent.token, timeout: .seconds(20)) { $0.edits > 0 }
    try await Task.sleep(for: .milliseconds(200))
}

// With the cache: one scream of the load's length first, so the load replays it.
if packetCache > 0 {
    let warm = try await scream(in: 0, duration: seconds)
    try await fake.rest.waitForInteraction(token: warm.token, timeout: .seconds(seconds * 2 + 30)) { $0.edits > 0 }
    try await Task.sleep(for: .milliseconds(500))
}

// Load: every guild screams at once for `seconds`.
let streamsBefore = Set(fake.recorder.arrivals.keys)
let loadStart = ContinuousClock.now
let droppedBefore = udpReceiveBufferErrors()
let ticksBefore = machineTicks()
var samples: [(at: ContinuousClock.Instant, cpu: Double, rssMB: Double)] = []
@MainActor func sample() { let now = usage(of: bot.processIdentifier); samples.append((.now, now.cpu, now.rssMB)) }
sample()
var sent: [FakeDiscord.SentInteraction] = []
for index in guilds.indices { sent.append(try await scream(in: index, duration: seconds)) }
for interaction in sent {
    while fake.rest.interaction(token: interaction.token).map({ $0.edits == 0 }) ?? true {
        sample()
        try await Task.sleep(for: .milliseconds(250))
        if ContinuousClock.now - loadStart > .seconds(seconds * 3 + 600) { break }
    }
}
sample()
let wall = milliseconds(ContinuousClock.now - loadStart) / 1000
let dropped = udpReceiveBufferErrors() - droppedBefore
let ticksAfter = machineTicks()
let stolenShare = 100 * (ticksAfter.stolen - ticksBefore.stolen) / max(1, ticksAfter.total - ticksBefore.total)
kill(bot.processIdentifier, SIGTERM)
bot.waitUntilExit()

let streams = fake.recorder.arrivals.filter { !streamsBefore.contains($0.key) }.values.filter { $0.count > 5 }
var jitterP99: [Double] = []
var drifts: [Double] = []
var counts: [Int] = []
for stream in streams {
    let audio = stream.dropLast(5)
    guard let first = audio.first else { continue }
    let offsets = audio.enumerated().map { index, arrival in milliseconds(arrival - first - .milliseconds(20) * index) }
    jitterP99.append(percentile(offsets.map(abs), 0.99))
    drifts.append(abs(offsets.last ?? 0))
    counts.append(stream.count)
}
await fake.stop()

// The window in which every stream played, and the bot's CPU within it.
let allFrom = streams.compactMap(\.first).max()
let allUntil = streams.compactMap(\.last).min()
let window = samples.filter { sample in allFrom.map { sample.at >= $0 } == true && allUntil.map { sample.at <= $0 } == true }
let windowSeconds = window.count > 1 ? milliseconds(window.last!.at - window.first!.at) / 1000 : 0
let windowCPU = windowSeconds > 0 ? 100 * (window.last!.cpu - window.first!.cpu) / windowSeconds : Double.nan
let loadCPU = 100 * (samples.last!.cpu - samples.first!.cpu) / wall
let peakRSS = samples.map(\.rssMB).max() ?? 0
/// The most streams sending at one moment.
let peakStreams: Int = {
    let edges = streams.flatMap { [($0.first!, 1), ($0.last!, -1)] }.sorted { $0.0 < $1.0 }
    var current = 0
    var peak = 0
    for (_, step) in edges {
        current += step
        peak = max(peak, current)
    }
    return peak
}()

/// The bot's own sender lateness for each scream of the load phase, from its `sent N frames,
/// lateness p50 … ms, p99 … ms, max … ms` log lines.
let senderLines = ((try? String(contentsOf: logURL, encoding: .utf8)) ?? "").split(separator: "\n")
    .filter { $0.contains(" lateness p50 ") }.suffix(guildCount)
func field(_ name: String, in line: Substring) -> Double? {
    line.components(separatedBy: name + " ").dropFirst().first?.split(separator: " ").first.flatMap { Double($0) }
}
let senderP50 = senderLines.compactMap { field("p50", in: $0) }
let senderP99 = senderLines.compactMap { field("p99", in: $0) }
let senderMax = senderLines.compactMap { field("max", in: $0) }
let skipped = senderLines.compactMap { $0.components(separatedBy: " slots skipped").first?.split(separator: " ").last.flatMap { Int($0) } }
let cacheHits = ((try? String(contentsOf: logURL, encoding: .utf8)) ?? "").components(separatedBy: "cache hit").count - 1
var loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
loadAverage = loadAverage.split(separator: " ").prefix(3).joined(separator: " ")

print("scream bot against the local fake Discord (no DAVE: the fake's voice server offers version 0)")
print("latency, \(probes) screams one at a time in one guild")
row("interaction to acknowledgement p50", ms(percentile(acks, 0.5)))
row("interaction to acknowledgement p99", ms(percentile(acks, 0.99)))
row("interaction to first audio packet p50", ms(percentile(firstAudio, 0.5)))
row("interaction to first audio packet p99", ms(percentile(firstAudio, 0.99)))
print("\(guildCount) guilds screaming \(Int(seconds)) s at once: \(streams.count) streams, \(counts.min() ?? 0)–\(counts.max() ?? 0) packets each")
print("packet cache \(cacheArgument) MB: \(cacheHits) screams played from it; load average \(loadAverage)")
row("streams sending at once, peak", String(format: "%8d", peakStreams))
row("all streams at once for", String(format: "%8.1f s", allFrom.flatMap { from in allUntil.map { milliseconds($0 - from) / 1000 } } ?? 0))
row("sender lateness p50, median stream", ms(percentile(senderP50, 0.5)))
row("sender lateness p99, median stream", ms(percentile(senderP99, 0.5)))
row("sender lateness p99, worst stream", ms(senderP99.max() ?? .nan))
row("sender lateness max, worst stream", ms(senderMax.max() ?? .nan))
row("arrival offset p99 at the fake, median stream", ms(percentile(jitterP99, 0.5)))
row("arrival offset p99 at the fake, worst stream", ms(jitterP99.max() ?? .nan))
row("drift at the last packet, median stream", ms(percentile(drifts, 0.5)))
row("drift at the last packet, worst stream", ms(drifts.max() ?? .nan))
row("slots skipped, all streams", String(format: "%8d", skipped.reduce(0, +)))
row("datagrams dropped by full receive buffers", String(format: "%8d", dropped))
row("bot CPU, all streams at once", String(format: "%8.1f %% of one core (%.3f %% per stream)", windowCPU, windowCPU / Double(max(1, streams.count))))
row("bot CPU, whole load (joins included)", String(format: "%8.1f %% of one core over %.0f s", loadCPU, wall))
row("CPU time the hypervisor stole, whole machine", String(format: "%8.1f %%", stolenShare))
row("bot RSS", String(format: "%8.1f MB at start, %.1f MB peak", samples.first!.rssMB, peakRSS))
