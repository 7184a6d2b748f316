import Foundation
import Testing

/// The help text is part of the interface: these are the exact screens a user sees at 80 columns.
@Suite struct CLIHelpTests {
    static let rootHelp = """
        OVERVIEW: Synthesize unique screams into audio files or a Discord voice
        channel.

        Examples:
          scream generate out.ogg                    Ogg Opus (the default)
          scream generate out.wav --preset banshee   WAV
          scream generate - --format wav | aplay     stream to stdout
          scream play --guild G --channel C          join, scream, leave
          scream play --guild G --dry-run            preview, no network
          scream bot                                 answer /scream in Discord
          scream generate out.ogg --image out.png    also draw a PNG
          scream preview out.ogg -o out.png          draw a PNG of a file
          scream presets                             list the presets

        Exit status: 0 success, 1 runtime failure, 2 invalid input or usage,
        129 hung up (SIGHUP), 130 interrupted (SIGINT), 131 quit (SIGQUIT),
        143 terminated (SIGTERM).

        USAGE: scream <subcommand>

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:
          generate                Render a scream to an Ogg Opus or WAV file, or to
                                  standard output.
          play                    Play a scream into a Discord voice channel as a bot.
          bot                     Run a Discord bot that screams in your voice channel
                                  when you type /scream.
          preview                 Draw the waveform and spectrogram of an Ogg Opus or
                                  WAV file as a PNG.
          presets                 List the built-in presets.

          See 'scream help <subcommand>' for detailed help.

        """

    static let botHelp = """
        OVERVIEW: Run a Discord bot that screams in your voice channel when you type
        /scream.

        The bot registers /scream (globally, or with --guild in one guild, which is
        instant) and answers it in every guild it is in: it joins the caller's voice
        channel, screams and leaves. /scream takes the options preset, duration, seed
        and volume. Screams in one guild queue; guilds scream at the same time.

        SIGINT or SIGTERM ends the screams in progress, edits their replies and exits
        0. 'scream help bot run' lists the options; 'scream bot invite-url' prints
        the URL that adds the bot to a server.

        Examples:
          scream bot
          scream bot --guild 1234 --cooldown 30s --queue 5
          scream bot invite-url

        USAGE: scream bot <subcommand>

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:
          run (default)           Connect, register /scream and answer it until stopped.
          invite-url              Print the URL that adds the bot to a server, with the
                                  scopes and permissions it needs.

          See 'scream help bot <subcommand>' for detailed help.

        """

    static let botRunHelp = """
        OVERVIEW: Connect, register /scream and answer it until stopped.

        USAGE: scream bot run <options>

        CONFIGURATION:
          --config <file>         Config file (default:
                                  $XDG_CONFIG_HOME/scream/config.yaml or
                                  ~/.config/scream/config.yaml when present).
          -v, --verbose           Log milestones to standard error (at least
                                  --log-level info).
          --log-level <level>     Log level: debug, info, warn or error (default: warn).

        OPTIONS:
          --token <token>         Discord bot token (default: DISCORD_TOKEN or the
                                  config file).
          -g, --guild <id>        Register /scream in this guild only, instead of
                                  globally.
          --no-register           Do not register /scream; use the commands already
                                  registered.
          --cooldown <duration>   How long one user waits between screams (default:
                                  10s).
          --queue <n>             How many screams may wait in one guild (default: 3).
          --max-duration <duration>
                                  The longest scream /scream may ask for (default: 30s).
          --preset <name>         The preset /scream plays without one; without it the
                                  scream is random.
          --bitrate <bits>        Opus bitrate, such as 64000 or 64k (default: 64k).
          --backend <backend>     Synthesizer: native or ffmpeg (default: native).
          --timeout <duration>    How long connecting may take, such as 30s (default:
                                  30s).
          --metrics <host:port>   Serve /metrics and /healthz at this address, such as
                                  127.0.0.1:9464 (default: off).
          --shards <ids>          The shards this process runs, such as 0-7 or 3
                                  (default: all).
          --shard-count <n>       How many shards across every process (default:
                                  Discord's recommendation).
          --packet-cache <MB>     Megabytes of encoded screams kept to replay them; 0
                                  turns it off (default: 64).
          --version               Show the version.
          -h, --help              Show help information.


        """

    static let generateHelp = """
        OVERVIEW: Render a scream to an Ogg Opus or WAV file, or to standard output.

        Without --preset or --params the scream is random and its seed is printed to
        standard error as 'seed: N'; --seed N renders the same scream again. The file
        is written under a temporary name and renamed when complete, so a failed or
        interrupted run never leaves a partial file.

        Examples:
          scream generate                              writes scream.ogg
          scream generate out.wav --preset banshee
          scream generate out.ogg --duration 1m30s --volume 0.5
          scream generate - --format wav | aplay       stream to standard output
          scream generate --seed 42 --print-params > mine.yaml
          scream generate again.ogg --params mine.yaml
          scream generate out.ogg --image out.png      also draw the scream
          scream generate --backend ffmpeg --preset robot --print-command

        USAGE: scream generate [<options>] [<output>]

        ARGUMENTS:
          <output>                Output file; - writes to standard output (default:
                                  scream.ogg).

        SCREAM OPTIONS:
          --preset <name>         Preset to render (see 'scream presets'); without one
                                  the scream is random.
          --duration <duration>   Length, such as 3s, 500ms, 1.5s or 1m30s (at most
                                  10m).
          --volume <0..1>         Volume from 0 (silence) to 1 (full).
          --seed <n>              Seed; the same seed gives the same scream.
          --bitrate <bits>        Opus bitrate, such as 64000 or 64k (default: 64k).
          --params <file>         YAML or JSON parameter file, read over the preset (or
                                  classic).
          --print-params          Print the resolved parameters as YAML and exit; they
                                  replay with --params.
          --backend <backend>     Synthesizer: native or ffmpeg (default: native).

        IMAGE OPTIONS:
          --image <file.png>      Also write a PNG of the waveform and spectrogram of
                                  the scream.
          --image-size <size>     Image size as WIDTHxHEIGHT (default: 1200x600).

        CONFIGURATION:
          --config <file>         Config file (default:
                                  $XDG_CONFIG_HOME/scream/config.yaml or
                                  ~/.config/scream/config.yaml when present).
          -v, --verbose           Log milestones to standard error (at least
                                  --log-level info).
          --log-level <level>     Log level: debug, info, warn or error (default: warn).

        OPTIONS:
          -o, --output <file>     Output file, as an option.
          --format <format>       ogg or wav (default: from the file extension, else
                                  ogg).
          --print-command         With --backend ffmpeg: print the ffmpeg command line
                                  that renders the scream, and exit.
          --version               Show the version.
          -h, --help              Show help information.


        """

    static let playHelp = """
        OVERVIEW: Play a scream into a Discord voice channel as a bot.

        The bot joins the channel (without --channel, the voice channel with the most
        people), screams and leaves. The token comes from --token, DISCORD_TOKEN or the
        config file; the bot needs View Channel, Connect and Speak in the channel.
        Ctrl-C or SIGTERM stops the scream and leaves the channel before exiting (130,
        143). --dry-run needs neither token nor network: it renders and encodes
        exactly the Opus packets that would be sent and prints a one-line summary.

        Examples:
          scream play --guild 1234 --channel 5678
          scream play 1234 5678 --preset banshee
          scream play --guild 1234 --dry-run
          scream play --guild 1234 --dry-run --seed 7 --output preview.ogg
          scream play --guild 1234 --dry-run --image preview.png

        USAGE: scream play [<options>] [<guild>] [<channel>]

        ARGUMENTS:
          <guild>                 Guild (server) id, instead of --guild.
          <channel>               Voice channel id, instead of --channel.

        SCREAM OPTIONS:
          --preset <name>         Preset to render (see 'scream presets'); without one
                                  the scream is random.
          --duration <duration>   Length, such as 3s, 500ms, 1.5s or 1m30s (at most
                                  10m).
          --volume <0..1>         Volume from 0 (silence) to 1 (full).
          --seed <n>              Seed; the same seed gives the same scream.
          --bitrate <bits>        Opus bitrate, such as 64000 or 64k (default: 64k).
          --params <file>         YAML or JSON parameter file, read over the preset (or
                                  classic).
          --print-params          Print the resolved parameters as YAML and exit; they
                                  replay with --params.
          --backend <backend>     Synthesizer: native or ffmpeg (default: native).

        IMAGE OPTIONS:
          --image <file.png>      Also write a PNG of the waveform and spectrogram of
                                  the scream.
          --image-size <size>     Image size as WIDTHxHEIGHT (default: 1200x600).

        CONFIGURATION:
          --config <file>         Config file (default:
                                  $XDG_CONFIG_HOME/scream/config.yaml or
                                  ~/.config/scream/config.yaml when present).
          -v, --verbose           Log milestones to standard error (at least
                                  --log-level info).
          --log-level <level>     Log level: debug, info, warn or error (default: warn).

        OPTIONS:
          -g, --guild <id>        Guild (server) id.
          -c, --channel <id>      Voice channel id (default: the busiest voice channel).
          --token <token>         Discord bot token (default: DISCORD_TOKEN or the
                                  config file).
          --timeout <duration>    How long connecting may take, such as 30s (default:
                                  30s).
          --dry-run               Render and encode without a token or network, and
                                  print a summary.
          -o, --output <file>     With --dry-run, also save the preview as Ogg Opus.
          --version               Show the version.
          -h, --help              Show help information.


        """

    static let previewHelp = """
        OVERVIEW: Draw the waveform and spectrogram of an Ogg Opus or WAV file as a
        PNG.

        The image is the one --image draws while rendering: the waveform on top, the
        spectrogram (log frequency, 50 Hz to Nyquist) below, with a title giving the
        file name, duration and peak level. It is written under a temporary name and
        renamed when complete.

        Examples:
          scream preview scream.ogg -o scream.png
          scream preview out.wav -o out.png --size 1920x1080

        USAGE: scream preview <input> --output <file.png> [--size <size>] [--verbose]

        ARGUMENTS:
          <input>                 The Ogg Opus or WAV file to draw.

        OPTIONS:
          -o, --output <file.png> The PNG file to write.
          --size <size>           Image size as WIDTHxHEIGHT (default: 1200x600).
          -v, --verbose           Log milestones to standard error.
          --version               Show the version.
          -h, --help              Show help information.


        """

    static let presetsHelp = """
        OVERVIEW: List the built-in presets.

        Examples:
          scream presets
          scream generate out.ogg --preset death-metal

        USAGE: scream presets

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.


        """

    @Test(arguments: [
        (["--help"], rootHelp), (["generate", "--help"], generateHelp), (["play", "--help"], playHelp),
        (["presets", "--help"], presetsHelp), (["help", "generate"], generateHelp), (["play", "-h"], playHelp),
        (["preview", "--help"], previewHelp), (["bot", "--help"], botHelp), (["help", "bot", "run"], botRunHelp),
    ])
    func helpScreenIsExactlyAsDocumented(arguments: [String], screen: String) throws {
        let result = try ScreamBinary.run(arguments, in: try scratchFolder())
        #expect(result.status == 0)
        #expect(result.stdoutText == screen)
        #expect(result.stderr.isEmpty)
    }

    @Test func versionPrintsTheVersion() throws {
        let result = try ScreamBinary.run(["--version"], in: try scratchFolder())
        #expect(result.status == 0)
        #expect(result.stdoutText == "scream 0.1.0\n")
    }
}
