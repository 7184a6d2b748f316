import Foundation
import Testing

/// One invalid command line: the files it needs, and the single sentence it must produce.
struct BadInput: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var environment: [String: String] = [:]
    /// Files to create first (name -> contents).
    var files: [String: String] = [:]
    /// Folders to create first.
    var folders: [String] = []
    var message: String
    var status: Int32 = 2

    var testDescription: String { "scream " + arguments.joined(separator: " ") }
}

/// Every bad input ends with exactly one sentence on stderr, a non-zero status, and no file
/// (not even a temporary one) left behind.
@Suite struct CLIBadInputTests {
    static let presetList = "classic, whisper, death-metal, glitch, banshee, robot"
    static let durationForms = "a duration such as 3s, 500ms, 1.5s or 1m30s"
    /// A WAV file of no frames (mono, 16-bit, 256 Hz, so every header byte is ASCII).
    static let emptyWAV = "RIFF$\u{0}\u{0}\u{0}WAVEfmt \u{10}\u{0}\u{0}\u{0}\u{1}\u{0}\u{1}\u{0}\u{0}\u{1}\u{0}\u{0}"
        + "\u{0}\u{2}\u{0}\u{0}\u{2}\u{0}\u{10}\u{0}data\u{0}\u{0}\u{0}\u{0}"
    static let imageSizes = "expected WIDTHxHEIGHT such as 1200x600, from 320x200 to 4096x4096."

    static let generateCases: [BadInput] = [
        BadInput(arguments: ["generate", "out.ogg", "--preset", "opera"],
                 message: "unknown preset 'opera' from --preset; valid presets are: \(presetList)."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "3x"],
                 message: "invalid duration '3x' from --duration: expected \(durationForms)."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "0s"],
                 message: "invalid duration '0s' from --duration: expected a duration above zero."),
        BadInput(arguments: ["generate", "out.ogg", "--duration=-2s"],
                 message: "invalid duration '-2s' from --duration: expected \(durationForms)."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "10m1s"],
                 message: "invalid duration '10m1s' from --duration: expected at most 10m."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "inf"],
                 message: "invalid duration 'inf' from --duration: expected \(durationForms)."),
        BadInput(arguments: ["generate", "out.ogg", "--volume", "1.5"],
                 message: "invalid volume '1.5' from --volume: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.ogg", "--volume=-0.1"],
                 message: "invalid volume '-0.1' from --volume: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.ogg", "--volume", "nan"],
                 message: "invalid volume 'nan' from --volume: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.mp3", "--format", "mp3"],
                 message: "invalid format 'mp3' from --format: expected ogg or wav."),
        BadInput(arguments: ["generate", "out.ogg", "--format", "wav"],
                 message: "--format wav contradicts the extension of out.ogg; drop --format or name the file .wav."),
        BadInput(arguments: ["generate", "missing/out.ogg", "--preset", "classic"],
                 message: "cannot write missing/out.ogg: the folder missing does not exist."),
        BadInput(arguments: ["generate", "", "--preset", "classic"],
                 message: "the output path is empty; give a file name."),
        BadInput(arguments: ["generate", "sub", "--preset", "classic"], folders: ["sub"],
                 message: "cannot write sub: it is a directory, so give a file name such as sub/scream.ogg."),
        BadInput(arguments: ["generate", "/sys/out.ogg", "--preset", "classic"],
                 message: "cannot write /sys/out.ogg: permission denied."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "nope.yaml"],
                 message: "cannot read nope.yaml: no such file."),
        BadInput(arguments: ["generate", "out.ogg", "--params", ""],
                 message: "the path of a parameter or config file is empty; give a file name."),
        BadInput(arguments: ["generate", "out.ogg", "--config", ""],
                 message: "the path of a parameter or config file is empty; give a file name."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"],
                 files: ["p.yaml": "noise: {threshold: \(String(repeating: "9x", count: 1000))}\n"],
                 message: "invalid value '\(String(repeating: "9x", count: 32))…' from key 'noise.threshold' in p.yaml: expected a finite number."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "layers: {primary_scream: [\n"],
                 message: "p.yaml is not valid YAML: line 2, column 1: did not find expected node content."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "layers:\n  high_shriek: {rize: 2}\n"],
                 message: "unknown key 'layers.high_shriek.rize' in p.yaml; valid keys here are: base_freq, freq_range, jump_rate, amplitude, rise, seed."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "layers:\n  primary_scream: {amplitude: 2}\n"],
                 message: "layers.primary_scream.amplitude is 2, but it must be between 0 and 1."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "filter: {crusher_bits: 17}\n"],
                 message: "filter.crusher_bits is 17, but it must be between 1 and 16."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "filter: {comp_ratio: .nan}\n"],
                 message: "invalid value '.nan' from key 'filter.comp_ratio' in p.yaml: expected a finite number."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.json"], files: ["p.json": #"{"noise": {"threshold": "Infinity"}}"#],
                 message: "invalid value 'Infinity' from key 'noise.threshold' in p.json: expected a finite number."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "sample_rate: 44100\n"],
                 message: "Opus cannot encode at 44100 Hz; use 8000, 12000, 16000, 24000 or 48000."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "channels: 3\n"],
                 message: "channels is 3, but it must be 1 or 2."),
        BadInput(arguments: ["generate", "out.ogg", "--config", "c.yaml"], files: ["c.yaml": "volume: loud\n"],
                 message: "invalid volume 'loud' from key 'volume' in c.yaml: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.ogg", "--config", "c.yaml"], files: ["c.yaml": "preset: classic\nvolumee: 1\n"],
                 message: "unknown key 'volumee' in c.yaml; valid keys here are: token, backend, preset, duration, volume, format, bitrate, seed, guild_id, channel_id, log_level, verbose, timeout, cooldown, queue, max_duration, packet_cache."),
        BadInput(arguments: ["generate", "out.ogg", "--config", "none.yaml"],
                 message: "cannot read none.yaml: no such file."),
        BadInput(arguments: ["generate", "out.ogg"], environment: ["SCREAM_VOLUME": "2"],
                 message: "invalid volume '2' from environment variable SCREAM_VOLUME: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.ogg"], environment: ["SCREAM_BACKEND": "sox"],
                 message: "invalid backend 'sox' from environment variable SCREAM_BACKEND: expected native or ffmpeg."),
        BadInput(arguments: ["generate", "out.ogg"], environment: ["SCREAM_PRESET": "opera"],
                 message: "unknown preset 'opera' from environment variable SCREAM_PRESET; valid presets are: \(presetList)."),
        BadInput(arguments: ["generate", "out.ogg"], environment: ["SCREAM_DURATION": "forever"],
                 message: "invalid duration 'forever' from environment variable SCREAM_DURATION: expected \(durationForms)."),
        BadInput(arguments: ["generate", "out.ogg"], environment: ["SCREAM_FORMAT": "flac"],
                 message: "invalid format 'flac' from environment variable SCREAM_FORMAT: expected ogg or wav."),
        BadInput(arguments: ["generate", "out.ogg"], environment: ["SCREAM_VERBOSE": "maybe"],
                 message: "invalid verbose 'maybe' from environment variable SCREAM_VERBOSE: expected true, false, yes, no, on, off, 1 or 0."),
        BadInput(arguments: ["generate", "out.ogg", "--log-level", "loud"],
                 message: "invalid log level 'loud' from --log-level: expected debug, info, warn or error."),
        BadInput(arguments: ["generate", "out.ogg", "--bitrate", "1k"],
                 message: "invalid bitrate '1k' from --bitrate: expected bits per second from 6000 to 510000, such as 64000 or 64k."),
        BadInput(arguments: ["bot", "--packet-cache", "lots"],
                 message: "invalid packet cache 'lots' from --packet-cache: expected a whole number of megabytes from 0 (off) to 4096."),
        BadInput(arguments: ["bot"], environment: ["SCREAM_PACKET_CACHE": "-1"],
                 message: "invalid packet cache '-1' from environment variable SCREAM_PACKET_CACHE: expected a whole number of megabytes from 0 (off) to 4096."),
        BadInput(arguments: ["generate", "out.ogg", "--seed", "abc"],
                 message: "invalid seed 'abc' from --seed: expected a whole number from 0 to 18446744073709551615."),
        BadInput(arguments: ["generate", "out.ogg", "--seed=-1"],
                 message: "invalid seed '-1' from --seed: expected a whole number from 0 to 18446744073709551615."),
        BadInput(arguments: ["generate", "out.ogg", "--seed", "18446744073709551616"],
                 message: "invalid seed '18446744073709551616' from --seed: expected a whole number from 0 to 18446744073709551615."),
        BadInput(arguments: ["generate", "out.ogg", "--config", "c.yaml"], files: ["c.yaml": "seed: -1\n"],
                 message: "invalid seed '-1' from key 'seed' in c.yaml: expected a whole number from 0 to 18446744073709551615."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "0x10"],
                 message: "invalid duration '0x10' from --duration: expected \(durationForms)."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "3s3s"],
                 message: "invalid duration '3s3s' from --duration: expected \(durationForms)."),
        BadInput(arguments: ["generate", "out.ogg", "--duration", "1e-300"],
                 message: "invalid duration '1e-300' from --duration: expected at least 20ms."),
        BadInput(arguments: ["generate", "out.ogg", "--volume", "0x1"],
                 message: "invalid volume '0x1' from --volume: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "seed: 1\u{0}\n"],
                 message: "p.yaml contains a NUL byte; parameter and config files are YAML text."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"],
                 files: ["p.yaml": "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)],
                 message: "p.yaml nests deeper than 64 levels; parameter and config files need only a few."),
        BadInput(arguments: ["generate", "a.ogg", "--output", "b.ogg"],
                 message: "OUTPUT was given both as an argument and as --output with different values; give it once."),
        BadInput(arguments: ["generate", "out.ogg", "--bogus"],
                 message: "Unknown option '--bogus'."),
        BadInput(arguments: ["generate", "out.ogg", "--volume"],
                 message: "Missing value for '--volume <0..1>'."),
        BadInput(arguments: ["generate", "out.wav", "--backend", "ffmpeg"], environment: ["SCREAM_FFMPEG": "/nonexistent/ffmpeg"],
                 message: "SCREAM_FFMPEG is set to /nonexistent/ffmpeg, which is not an executable file; point it at ffmpeg or unset it to search PATH.",
                 status: 1),
        BadInput(arguments: ["generate", "--preset", "robot", "--print-command"],
                 message: "--print-command prints the ffmpeg command line, so it needs --backend ffmpeg."),
        BadInput(arguments: ["shout"],
                 message: "Unexpected argument 'shout'."),
        BadInput(arguments: ["help", "nope"],
                 message: "there is no command 'nope'; the commands are generate, play, bot, preview, presets."),
        BadInput(arguments: ["generate", "out.ogg", "--volume", "-0.5"],
                 message: "invalid volume '-0.5' from --volume: expected a number from 0 to 1."),
        BadInput(arguments: ["generate", "out.ogg", "--volume", "2", "--volume", "0.5"],
                 message: "--volume was given more than once; give each option once."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "/nonexistent", "--params=ok.yaml"], files: ["ok.yaml": "seed: 1\n"],
                 message: "--params was given more than once; give each option once."),
        BadInput(arguments: ["generate", "-o", "a.ogg", "--output", "a.ogg"],
                 message: "--output was given more than once; give each option once."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "layers: {primary_scream: {base_freq: 1e308}}\n"],
                 message: "layers.primary_scream.base_freq is 1e+308, but it must be from 0 to half the sample rate (24000 Hz)."),
        BadInput(arguments: ["generate", "out.wav", "--params", "p.yaml"], files: ["p.yaml": "layers: {harmonic_sweep: {sweep_rate: 1e308}}\n"],
                 message: "layers.harmonic_sweep.sweep_rate is 1e+308, but it must be from -100000 to 100000 hertz per second."),
        BadInput(arguments: ["generate", "-", "--params", "p.yaml"], files: ["p.yaml": "layers: {high_shriek: {rise: 1e308, base_freq: 1e10}}\n"],
                 message: "layers.high_shriek.base_freq is 10000000000, but it must be from 0 to half the sample rate (24000 Hz)."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "filter: {comp_ratio: 0.5}\n"],
                 message: "filter.comp_ratio is 0.5, but it must be from 1 to 100."),
        BadInput(arguments: ["generate", "out.ogg", "--params", "p.yaml"], files: ["p.yaml": "filter: {volume_boost_db: 1000}\n"],
                 message: "filter.volume_boost_db is 1000, but it must be at most 60 dB."),
        BadInput(arguments: ["generate", "out.ogg", "--image", "out.png", "--image-size", "0x10"],
                 message: "invalid image size '0x10' from --image-size: \(imageSizes)"),
        BadInput(arguments: ["generate", "out.ogg", "--image", "out.png", "--image-size", "abc"],
                 message: "invalid image size 'abc' from --image-size: \(imageSizes)"),
        BadInput(arguments: ["generate", "out.ogg", "--image", "out.png", "--image-size", "8000x8000"],
                 message: "invalid image size '8000x8000' from --image-size: \(imageSizes)"),
        BadInput(arguments: ["generate", "out.ogg", "--image", "out.jpg"],
                 message: "cannot write the image out.jpg: images are PNG, so name the file .png."),
        BadInput(arguments: ["generate", "out.ogg", "--image", "-"],
                 message: "the image cannot go to standard output; give a file name ending in .png."),
        BadInput(arguments: ["generate", "out.ogg", "--preset", "classic", "--image", "missing/out.png"],
                 message: "cannot write missing/out.png: the folder missing does not exist."),
        BadInput(arguments: ["generate", "out.ogg", "--image", "pics"], folders: ["pics"],
                 message: "cannot write the image pics: images are PNG, so name the file .png."),
        BadInput(arguments: ["generate", "out.ogg", "--image-size", "640x480"],
                 message: "--image-size sets the size of the --image file; add --image FILE.png or drop --image-size."),
    ]

    static let playCases: [BadInput] = [
        BadInput(arguments: ["play"],
                 message: "no guild id given; pass --guild ID (or GUILD as the first argument) or set SCREAM_GUILD_ID."),
        BadInput(arguments: ["play", "--guild", "123"],
                 message: "no Discord bot token given; pass --token, set DISCORD_TOKEN or add token to the config file."),
        BadInput(arguments: ["play", "abc", "--dry-run"],
                 message: "invalid guild id 'abc' from argument GUILD: expected a numeric Discord id."),
        BadInput(arguments: ["play", "--guild", "1", "--channel", "x1"],
                 message: "invalid channel id 'x1' from --channel: expected a numeric Discord id."),
        BadInput(arguments: ["play"], environment: ["SCREAM_CHANNEL_ID": "0"],
                 message: "invalid channel id '0' from environment variable SCREAM_CHANNEL_ID: expected a numeric Discord id."),
        BadInput(arguments: ["play", "1", "2", "--channel", "3"],
                 message: "CHANNEL was given both as an argument and as --channel with different values; give it once."),
        BadInput(arguments: ["play", "--guild", "1", "--output", "preview.ogg"],
                 message: "--output saves the preview of a dry run; add --dry-run or drop --output."),
        BadInput(arguments: ["play", "--guild", "1", "--dry-run", "--output", "-"],
                 message: "the dry-run preview cannot go to standard output, which carries the summary; give --output a file name."),
        BadInput(arguments: ["play", "--guild", "1", "--dry-run", "--output", ""],
                 message: "the output path is empty; give a file name."),
        BadInput(arguments: ["play", "--guild", "1", "--dry-run", "--timeout", "soon"],
                 message: "invalid timeout 'soon' from --timeout: expected \(durationForms)."),
        BadInput(arguments: ["play", "--guild", "1", "--dry-run", "--preset", "opera", "--output", "p.ogg"],
                 message: "unknown preset 'opera' from --preset; valid presets are: \(presetList)."),
        BadInput(arguments: ["play", "--guild", "1", "--dry-run", "--output", "nowhere/p.ogg"],
                 message: "cannot write nowhere/p.ogg: the folder nowhere does not exist."),
        BadInput(arguments: ["play", "--guild", "1", "--token", "abc.def"], environment: ["SCREAM_GATEWAY_URL": "http://127.0.0.1:1/"],
                 message: "\"http://127.0.0.1:1/\" is not a valid ws:// or wss:// URL."),
        BadInput(arguments: ["play", "--guild", "1", "--token", "abc.def"], environment: ["SCREAM_GATEWAY_URL": "ws://127.0.0.1:99999/"],
                 message: "\"ws://127.0.0.1:99999/\" is not a valid ws:// or wss:// URL."),
        BadInput(arguments: ["play", "--guild", "1", "--token", "abc.def"], environment: ["SCREAM_GATEWAY_URL": ""],
                 message: "SCREAM_GATEWAY_URL is set but empty; unset it to use Discord's gateway, or set it to a wss:// URL."),
        BadInput(arguments: ["play", "--guild", "1", "--token", "abc def"], environment: ["SCREAM_GATEWAY_URL": "ws://127.0.0.1:1/"],
                 message: "the Discord bot token is not valid: it contains a space or a line break; copy it again from the Bot page of your application."),
        BadInput(arguments: ["play", "--guild", "1", "--token", "abc\ndef"], environment: ["SCREAM_GATEWAY_URL": "ws://127.0.0.1:1/"],
                 message: "the Discord bot token is not valid: it contains a space or a line break; copy it again from the Bot page of your application."),
        BadInput(arguments: ["play", "--guild", "1", "--token", "Bot "], environment: ["SCREAM_GATEWAY_URL": "ws://127.0.0.1:1/"],
                 message: "the Discord bot token is not valid: it holds only the Bot prefix; copy it again from the Bot page of your application."),
        BadInput(arguments: ["play", "--guild", "1", "--dry-run", "-o", "x.wav"],
                 message: "the dry-run preview is Ogg Opus, but x.wav names a WAV file; give it an .ogg name."),
        BadInput(arguments: ["play", "--guild", "1", "--image", "p.png"],
                 message: "--image draws the scream of a dry run; add --dry-run or drop --image."),
        BadInput(arguments: ["play", "--dry-run", "--image", "p.png", "--image-size", "100x100"],
                 message: "invalid image size '100x100' from --image-size: \(imageSizes)"),
        BadInput(arguments: ["play", "--dry-run", "--output", "p.ogg", "--image", "nowhere/p.png"],
                 message: "cannot write nowhere/p.png: the folder nowhere does not exist."),
    ]

    static let previewCases: [BadInput] = [
        BadInput(arguments: ["preview", "none.ogg", "-o", "out.png"],
                 message: "cannot read none.ogg: no such file."),
        BadInput(arguments: ["preview", "notes.txt", "-o", "out.png"], files: ["notes.txt": "hello"],
                 message: "cannot read notes.txt: it is neither an Ogg Opus nor a WAV file."),
        BadInput(arguments: ["preview", "fake.wav", "-o", "out.png"], files: ["fake.wav": "RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt "],
                 message: "cannot read fake.wav: the WAV file has no data chunk."),
        BadInput(arguments: ["preview", "notes.txt", "-o", "out.gif"], files: ["notes.txt": "hello"],
                 message: "cannot write the image out.gif: images are PNG, so name the file .png."),
        BadInput(arguments: ["preview", "notes.txt", "-o", "out.png", "--size", "1x1"], files: ["notes.txt": "hello"],
                 message: "invalid image size '1x1' from --size: \(imageSizes)"),
        BadInput(arguments: ["preview", "empty.wav", "-o", "gone/out.png"], files: ["empty.wav": emptyWAV],
                 message: "cannot write gone/out.png: the folder gone does not exist."),
        BadInput(arguments: ["preview", "none.wav", "-o", "gone/out.png"],
                 message: "cannot read none.wav: no such file."),
        BadInput(arguments: ["preview", "notes.txt"], files: ["notes.txt": "hello"],
                 message: "Missing expected argument '--output <file.png>'."),
    ]

    @Test(arguments: generateCases + playCases + previewCases)
    func badInputPrintsOneSentenceAndLeavesNoFile(_ input: BadInput) throws {
        let folder = try scratchFolder()
        for name in input.folders {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        for (name, contents) in input.files {
            try contents.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = try ScreamBinary.run(input.arguments, in: folder, environment: input.environment)
        #expect(result.status == input.status)
        #expect(result.stderr == "error: \(input.message)\n")
        #expect(result.stdout.isEmpty)
        #expect(try entries(of: folder) == (input.files.keys + input.folders).sorted())
    }
}
